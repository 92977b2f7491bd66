/**
 * `vitest run` of a fixture whose plugin has `localCluster: { agents: 2 }`:
 * the global setup starts a real nats-server and two `loadspec agent`
 * processes, every loadScenario runs on them, and nothing of the run is
 * left afterwards, also when vitest is killed (SIGTERM, SIGINT, SIGKILL, a
 * closed terminal's SIGHUP). The
 * run's processes are found by the run's own marker, never by name.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { HttpTarget } from '../support/http-target.js'
import { localClusterProcesses, startPidCountingTarget, waitForNoLocalClusterProcesses } from '../support/local-cluster.js'
import { fixturesDir, inheritedEnv, repoRoot, repoVitest, runVitest, testsByTitle } from '../support/vitest-cli.js'

const fixture = join(fixturesDir, 'vitest-local-cluster')
const ITERATIONS_PER_AGENT = 25

let target: HttpTarget
/** Requests the target received, by the pid the sender put in the URL. */
let requestsByPid: Map<number, number>
let scratch: string

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist/plugin/vitest.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before the e2e tests')
  ;({ target, requestsByPid } = await startPidCountingTarget())
  scratch = mkdtempSync(join(tmpdir(), 'loadspec-local-cluster-'))
})

afterAll(async () => {
  await target.close()
  rmSync(scratch, { recursive: true, force: true })
})

interface RunRecord {
  readonly workerPid: number
  readonly nodes: readonly { readonly nodeType: string; readonly pid: number }[]
  readonly statusCodes: readonly { readonly statusCode: string; readonly count: number }[]
  readonly okCount: number
}

function records(file: string): RunRecord[] {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as RunRecord) : []
}

describe('vitest run with localCluster: { agents: 2 }', () => {
  const out = (): string => join(scratch, 'run.jsonl')
  const reports = (): string => join(scratch, 'reports')
  let vitestPid = 0
  let run: Awaited<ReturnType<typeof runVitest>>
  beforeAll(async () => {
    requestsByPid.clear()
    run = await runVitest([], {
      cwd: fixture,
      json: true,
      env: { FIXTURE_TARGET_URL: target.url, FIXTURE_OUT: out(), LOADSPEC_REPORT_FOLDER: reports() },
      timeoutMs: 90_000,
      onSpawn: (pid) => (vitestPid = pid),
    })
  })

  test('the global setup says once where the cluster is, how many agents, how long it took, and where its log is', () => {
    expect(run.stdout).toMatch(/local cluster: nats 127\.0\.0\.1:\d+, coordinator, 2 agents, ready in \d+ ms \(log: \S+local-cluster\.log\)/)
    const log = readFileSync(join(reports(), 'local-cluster.log'), 'utf8')
    expect(log).toMatch(/\[agent 1\] .*agent local-1 .*joined ClusterId "local-\d+-[0-9a-f]+"/)
    expect(log).toMatch(/\[agent 2\] .*agent local-2 .*joined/)
    // The workers are Clients of the session's coordinator service: its one line for the session is in the log.
    expect(log).toMatch(/\[coordinator\] .*coordinator service \S+ \(host .*, pid \d+\) serving ClusterId "local-\d+-[0-9a-f]+"/)
    expect(log).toMatch(/\[coordinator\] .*session \S+.*"hit"/)
  })

  test('the load ran on two agent processes, neither of them the worker, each with the whole load shape', () => {
    expect(testsByTitle(run.report).get('hit on the local cluster')?.status, run.output).toBe('passed')
    const [record] = records(out())
    const agentPids = (record?.nodes ?? []).filter((node) => node.nodeType === 'Agent').map((node) => node.pid)
    expect(new Set(agentPids).size).toBe(2)
    expect(agentPids).not.toContain(record?.workerPid)
    // The merge ran in the coordinator service's process, not in the worker (the worker was its client).
    const coordinatorPids = (record?.nodes ?? []).filter((node) => node.nodeType === 'Coordinator').map((node) => node.pid)
    expect(coordinatorPids).toHaveLength(1)
    expect([record?.workerPid, ...agentPids]).not.toContain(coordinatorPids[0])
    // The target's own log: 25 requests from each agent pid, none from anyone else.
    expect(Object.fromEntries(requestsByPid)).toEqual(Object.fromEntries(agentPids.map((pid) => [pid, ITERATIONS_PER_AGENT])))
    expect(record?.okCount).toBe(2 * ITERATIONS_PER_AGENT)
    expect(record?.statusCodes).toEqual([expect.objectContaining({ statusCode: '201', count: 2 * ITERATIONS_PER_AGENT })])
  })

  test('after vitest exits, no nats-server or agent process of the run is left', () => {
    expect(vitestPid).toBeGreaterThan(0)
    expect(localClusterProcesses(vitestPid)).toEqual([])
  })
})

// SIGKILL runs no exit handler in vitest: only the children's own parent watch (--exit-with-parent, nats-server's guard) ends them.
// SIGHUP to the process group is a closed terminal: every process of the group gets it (nats-server would take it as "reload").
describe.each([
  ['SIGTERM', 'process'],
  ['SIGINT', 'process'],
  ['SIGKILL', 'process'],
  ['SIGHUP', 'group'],
] as const)('vitest killed with %s (to the %s) during a load test', (signal, to) => {
  test('leaves no child behind within 2 s', async () => {
    const child = spawn(process.execPath, [repoVitest, 'run'], {
      cwd: fixture,
      env: { ...inheritedEnv(), NO_COLOR: '1', FIXTURE_TARGET_URL: target.url, FIXTURE_LONG: '1', LOADSPEC_REPORT_FOLDER: join(scratch, `reports-${signal}`) },
      stdio: ['ignore', 'pipe', 'pipe'],
      // A process group of its own, as a terminal gives a command.
      detached: true,
    })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    const pid = child.pid ?? -1
    try {
      // Ready, and the agents are running load (the target hears from them).
      const deadline = Date.now() + 60_000
      const before = target.requestCount
      while (!(output.includes('ready in') && target.requestCount > before + 10) && Date.now() < deadline && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(output).toContain('ready in')
      // The guard around nats-server, nats-server, the coordinator service, two agents.
      expect(localClusterProcesses(pid).length).toBe(5)
      process.kill(to === 'group' ? -pid : pid, signal)
      await exited
      expect(await waitForNoLocalClusterProcesses(pid, 2000)).toEqual([])
    } finally {
      child.kill('SIGKILL')
      for (const left of localClusterProcesses(pid)) process.kill(left.pid, 'SIGKILL')
    }
  })
})

test('an agent or the coordinator service that cannot load its scenario module fails the global setup with its own error, not a timeout', async () => {
  let vitestPid = 0
  const run = await runVitest([], {
    cwd: fixture,
    env: { FIXTURE_SCENARIOS: 'broken-module.ts', LOADSPEC_REPORT_FOLDER: join(scratch, 'reports-broken') },
    timeoutMs: 60_000,
    onSpawn: (pid) => (vitestPid = pid),
  })
  expect(run.exitCode).not.toBe(0)
  // The agents and the coordinator service load the same module: whichever exits first is named.
  expect(run.output).toMatch(/local cluster: (agent \d|coordinator) \(pid \d+\) exited with code \d before it joined the cluster:/)
  expect(run.output).toContain('broken-module.ts cannot load: FIXTURE_BROKEN')
  // Far below ClusterCommandTimeoutMs (120 s): the exit ended the wait.
  expect(run.durationMs).toBeLessThan(60_000)
  expect(localClusterProcesses(vitestPid)).toEqual([])
})

test('without nats-server on PATH and no NatsServerUrl: one notice line, then the in-process dev cluster', async () => {
  requestsByPid.clear()
  const out = join(scratch, 'fallback.jsonl')
  const run = await runVitest([], {
    cwd: fixture,
    // Only node's own folder: no nats-server.
    env: { PATH: dirname(process.execPath), FIXTURE_TARGET_URL: target.url, FIXTURE_OUT: out, LOADSPEC_REPORT_FOLDER: join(scratch, 'reports-fallback') },
    timeoutMs: 60_000,
  })
  expect(run.exitCode, run.output).toBe(0)
  const notices = run.output.split('\n').filter((line) => line.startsWith('local cluster:'))
  expect(notices).toEqual([expect.stringMatching(/^local cluster: no nats-server on PATH and no NatsServerUrl, so the 2 agents run in-process/)])
  const [record] = records(out)
  const agents = (record?.nodes ?? []).filter((node) => node.nodeType === 'Agent')
  expect(agents.map((node) => node.pid)).toEqual([record?.workerPid, record?.workerPid])
  expect(record?.okCount).toBe(2 * ITERATIONS_PER_AGENT)
  expect(target.requestCount).toBeGreaterThanOrEqual(2 * ITERATIONS_PER_AGENT)
})
