/**
 * Watch mode with a local cluster, driven through a pseudo-terminal (tmux,
 * on a socket of its own): `vitest` starts the cluster once; an agent killed
 * between runs is reported; an edit of the scenario module makes the rerun
 * run the new code on fresh agents; `q` ends vitest and every child of the
 * run. A copy of the fixture is edited, never the fixture itself.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { copyExample } from '../support/example-copy.js'
import { startHttpTarget, type HttpTarget } from '../support/http-target.js'
import { localClusterProcesses, waitForNoLocalClusterProcesses } from '../support/local-cluster.js'
import { openTerminal, type Terminal } from '../support/terminal.js'
import { fixturesDir, repoRoot, repoVitest } from '../support/vitest-cli.js'

let target: HttpTarget
let project: string
let terminal: Terminal | undefined

interface RunRecord {
  readonly nodes: readonly { readonly nodeType: string; readonly pid: number }[]
  readonly statusCodes: readonly { readonly statusCode: string; readonly count: number }[]
}

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist/plugin/vitest.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before the e2e tests')
  target = await startHttpTarget(() => ({ status: 200, body: 'ok' }))
  project = copyExample(join(fixturesDir, 'vitest-local-cluster'), ['vitest'])
})

afterAll(async () => {
  terminal?.close()
  await target.close()
  rmSync(project, { recursive: true, force: true })
})

test('vitest in watch mode keeps the cluster, reports a crashed agent, reruns edited scenario code on the agents, and q leaves nothing behind', async () => {
  const out = join(project, 'runs.jsonl')
  const records = (): RunRecord[] => (existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as RunRecord) : [])
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', FIXTURE_TARGET_URL: target.url, FIXTURE_OUT: out, LOADSPEC_REPORT_FOLDER: join(project, 'reports') }
  const watch = (terminal = openTerminal('vitest-watch', project, `'${process.execPath}' '${repoVitest}'`, env))
  const vitestPid = watch.pid
  try {
    const [first] = await watch.until('the first run', () => (records().length >= 1 ? records() : undefined))
    expect(watch.screen()).toMatch(/local cluster: nats 127\.0\.0\.1:\d+, coordinator, 2 agents, ready in \d+ ms/)
    expect(first?.statusCodes).toEqual([expect.objectContaining({ statusCode: '201', count: 50 })])
    const firstAgents = (first?.nodes ?? []).filter((node) => node.nodeType === 'Agent').map((node) => node.pid)

    // An agent that dies between runs is said once, at once.
    const victim = localClusterProcesses(vitestPid).find((child) => child.command.includes('--agent-id=local-1'))
    expect(victim).toBeDefined()
    process.kill(victim?.pid ?? -1, 'SIGKILL')
    await watch.until('the crash notice', () => (watch.screen().includes(`agent 1 (pid ${victim?.pid}) was killed by SIGKILL; it is restarted before the next run`) ? true : undefined))

    const scenarios = join(project, 'scenarios.ts')
    writeFileSync(scenarios, readFileSync(scenarios, 'utf8').replace('Response.ok(201)', 'Response.ok(202)'))
    const [, second] = await watch.until('the rerun', () => (records().length >= 2 ? records() : undefined))
    expect(second?.statusCodes).toEqual([expect.objectContaining({ statusCode: '202', count: 50 })])
    const secondAgents = (second?.nodes ?? []).filter((node) => node.nodeType === 'Agent').map((node) => node.pid)
    expect(secondAgents).toHaveLength(2)
    for (const pid of secondAgents) expect(firstAgents).not.toContain(pid)
    expect(watch.screen()).toMatch(/local cluster: coordinator and 2 agents restarted \(scenario code changed\), ready in \d+ ms/)
    // The terminal is cleared at each rerun; the cluster's log keeps every line: the crash was said once.
    const log = readFileSync(join(project, 'reports', 'local-cluster.log'), 'utf8')
    expect(log.match(/\[local cluster\] local cluster: agent 1 \(pid \d+\) was killed by SIGKILL/g)).toHaveLength(1)

    // Under a loaded machine the rerun's record can be written before Vitest is back at its
    // watch prompt, where a keystroke sent too early is lost: q again every few seconds.
    await watch.pressUntilExit('q')
    expect(await waitForNoLocalClusterProcesses(vitestPid, 2000)).toEqual([])
  } finally {
    for (const left of localClusterProcesses(vitestPid)) process.kill(left.pid, 'SIGKILL')
  }
}, 120_000)
