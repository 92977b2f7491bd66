/**
 * `jest --watchAll` with a local cluster, driven through a pseudo-terminal
 * (tmux, on a socket of its own): the first run starts the cluster, a save of
 * the scenario module makes Jest run again, its global setup finds the same
 * cluster and reloads it, and the rerun counts the new code on fresh agents;
 * `q` ends Jest and every child of the run. The scenario module lives in the
 * copied project (Jest watches only its roots).
 */
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { copyExample } from '../support/example-copy.js'
import { startHttpTarget, type HttpTarget } from '../support/http-target.js'
import { repoJest } from '../support/jest-cli.js'
import { localClusterProcesses, waitForNoLocalClusterProcesses } from '../support/local-cluster.js'
import { openTerminal, type Terminal } from '../support/terminal.js'
import { fixturesDir, repoRoot } from '../support/vitest-cli.js'

let target: HttpTarget
let project: string
let terminal: Terminal | undefined

interface RunRecord {
  readonly nodes: readonly { readonly nodeType: string; readonly pid: number }[]
  readonly okCount: number
  readonly statusCodes: readonly { readonly statusCode: string; readonly count: number }[]
}

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist/plugin/jest/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before the e2e tests')
  target = await startHttpTarget(() => ({ status: 200, body: 'ok' }))
  project = copyExample(join(fixturesDir, 'jest-local-cluster'), ['jest', 'ts-jest', 'typescript', '@jest', '@types'])
  copyFileSync(join(fixturesDir, 'vitest-local-cluster/scenarios.ts'), join(project, 'scenarios.ts'))
  const edit = (file: string, from: string, to: string): void => {
    const text = readFileSync(join(project, file), 'utf8')
    if (!text.includes(from)) throw new Error(`${file} no longer contains ${from}`)
    writeFileSync(join(project, file), text.replace(from, to))
  }
  edit('jest.config.js', "'../vitest-local-cluster/scenarios.ts'", "'scenarios.ts'")
  edit('hit.load.test.ts', "'../vitest-local-cluster/scenarios'", "'./scenarios'")
  // The status codes the run saw, so the rerun shows which code the agents ran.
  edit('hit.load.test.ts', "okCount: result.getScenarioStats('hit').ok.request.count", "okCount: result.getScenarioStats('hit').ok.request.count, statusCodes: result.getScenarioStats('hit').statusCodes")
})

afterAll(async () => {
  terminal?.close()
  await target.close()
  rmSync(project, { recursive: true, force: true })
})

test('jest --watchAll keeps the cluster of its first run, reloads it when the scenario module is saved, and q leaves nothing behind', async () => {
  const out = join(project, 'runs.jsonl')
  const records = (): RunRecord[] => (existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as RunRecord) : [])
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', FIXTURE_TARGET_URL: target.url, FIXTURE_OUT: out, LOADSPEC_REPORT_FOLDER: join(project, 'reports') }
  const jest = `'${process.execPath}' --experimental-vm-modules '${repoJest}' --watchAll --watchman=false --cacheDirectory='${join(project, '.jest-cache')}'`
  const watch = (terminal = openTerminal('jest-watch', project, jest, env))
  const jestPid = watch.pid
  try {
    const [first] = await watch.until('the first run', () => (records().length >= 1 ? records() : undefined), 90_000)
    expect(first?.statusCodes).toEqual([expect.objectContaining({ statusCode: '201', count: 50 })])
    const firstAgents = (first?.nodes ?? []).filter((node) => node.nodeType === 'Agent').map((node) => node.pid)
    expect(new Set(firstAgents).size).toBe(2)
    const firstService = localClusterProcesses(jestPid).find((child) => child.command.includes(' coordinator '))
    expect(firstService).toBeDefined()

    const scenarios = join(project, 'scenarios.ts')
    writeFileSync(scenarios, readFileSync(scenarios, 'utf8').replace('Response.ok(201)', 'Response.ok(202)'))
    const [, second] = await watch.until('the rerun', () => (records().length >= 2 ? records() : undefined), 90_000)
    expect(second?.statusCodes).toEqual([expect.objectContaining({ statusCode: '202', count: 50 })])
    const secondAgents = (second?.nodes ?? []).filter((node) => node.nodeType === 'Agent').map((node) => node.pid)
    expect(secondAgents).toHaveLength(2)
    for (const pid of secondAgents) expect(firstAgents).not.toContain(pid)
    // One cluster for the whole watch session: started once, then reloaded (the log is written once per start).
    const log = readFileSync(join(project, 'reports', 'local-cluster.log'), 'utf8')
    expect(log.match(/\[local cluster\] local cluster: nats 127\.0\.0\.1:\d+, coordinator, 2 agents, ready in/g)).toHaveLength(1)
    expect(log).toMatch(/\[local cluster\] local cluster: coordinator and 2 agents restarted \(scenario code changed\), ready in \d+ ms/)
    expect(localClusterProcesses(jestPid).map((child) => child.pid)).not.toContain(firstService?.pid)

    await watch.pressUntilExit('q')
    expect(await waitForNoLocalClusterProcesses(jestPid, 2000)).toEqual([])
  } finally {
    for (const left of localClusterProcesses(jestPid)) process.kill(left.pid, 'SIGKILL')
  }
}, 200_000)
