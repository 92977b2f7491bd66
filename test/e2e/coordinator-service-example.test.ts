/**
 * examples/coordinator-service run as its README says: a nats-server, the
 * coordinator service, two agents, then both Vitest projects started at the
 * same moment as clients with AgentsCount 2. Both pass; the target's own
 * request count equals the sum of both merged results; and with one agent
 * answering in 40 ms and the other at once, the merged p99 is the slow
 * agent's, as one histogram of every sample says (averaging percentiles
 * would put it halfway).
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { copyExample } from '../support/example-copy.js'
import { runJest } from '../support/jest-cli.js'
import { startNodeProcess, type NodeProcess } from '../support/cluster-processes.js'
import { startHttpTarget, type HttpTarget } from '../support/http-target.js'
import { startNatsServer, type NatsServerHandle } from '../support/nats-server.js'
import { repoRoot, runVitest, testsByTitle, type VitestRun } from '../support/vitest-cli.js'

const SLOW_MS = 40
let copy = ''
let nats: NatsServerHandle | undefined
let target: HttpTarget | undefined
const processes: NodeProcess[] = []

beforeAll(async () => {
  copy = copyExample(join(repoRoot, 'examples/coordinator-service'), ['vitest', 'jest', 'ts-jest', 'typescript', '@jest', '@types'])
  nats = await startNatsServer()
  // Each agent's SHOP_URL names a path: /slow answers after SLOW_MS, /fast at once.
  target = await startHttpTarget((_number, req) => ({ status: 200, body: 'ok', delayMs: req.url?.startsWith('/slow') ? SLOW_MS : 0 }))
})

afterAll(async () => {
  await Promise.all(processes.map((process) => process.stop()))
  await Promise.all([nats?.stop(), target?.close()])
  if (copy !== '') rmSync(copy, { recursive: true, force: true })
})

function cli(args: readonly string[], env: Record<string, string> = {}): NodeProcess {
  const process = startNodeProcess(['bin/loadspec.js', ...args, `--config=${join(copy, 'loadspec.config.json')}`, `--NatsServerUrl=${nats?.url}`], env)
  processes.push(process)
  return process
}

function runProject(name: string): Promise<VitestRun> {
  return runVitest([], { cwd: join(copy, name), json: true, env: { LOADSPEC_NATS_SERVER_URL: nats?.url ?? '' }, timeoutMs: 90_000 })
}

let service: NodeProcess

beforeAll(async () => {
  service = cli(['coordinator'])
  const agents = ['fast', 'slow'].map((path) => cli(['agent', '--scenarios', join(copy, 'scenarios.ts')], { SHOP_URL: `${target?.url}/${path}` }))
  await Promise.all([service.waitFor(/serving ClusterId "shop"/), ...agents.map((agent) => agent.waitFor(/joined ClusterId "shop"/))])
})

test('two Vitest projects share the service and its two agents: both pass, and the target counts the sum of both merged results', async () => {
  const [a, b] = await Promise.all([runProject('project-a'), runProject('project-b')])
  for (const run of [a, b]) {
    expect(run.exitCode, run.output).toBe(0)
    expect(run.stdout).toMatch(/loadspec: coordinator shop\/ci \(\S+\): 2 agents \(\d idle\), \d sessions? running, \d queued/)
  }
  const metaOf = (run: VitestRun, title: string) => testsByTitle(run.report).get(title)?.meta['loadspec'] as { nodeCount: number; scenarios: { okCount: number; failCount: number; latencyMs: { min: number; p50: number; p99: number } }[] }
  const metaA = metaOf(a, 'team A: browsing stays under 250 ms at p99')
  const metaB = metaOf(b, 'team B: 60 browsing sessions without errors')
  // The service plus the two agents, for each session.
  expect(metaA.nodeCount).toBe(3)
  expect(metaB.nodeCount).toBe(3)
  const countOf = (meta: typeof metaA) => meta.scenarios.reduce((sum, stats) => sum + stats.okCount + stats.failCount, 0)
  expect(metaB.scenarios[0]?.okCount).toBe(60)
  expect(target?.requestCount).toBe(countOf(metaA) + countOf(metaB))
  // Half the samples at ~0 ms, half at ≥ 40 ms: the fastest is a fast one, p99 a slow one (averaging
  // the agents' p99s would give about half of SLOW_MS).
  for (const meta of [metaA, metaB]) {
    console.info(`[coordinator-service example] merged latency: ${JSON.stringify(meta.scenarios[0]?.latencyMs)}`)
    expect(meta.scenarios[0]?.latencyMs.min).toBeLessThan(SLOW_MS / 4)
    expect(meta.scenarios[0]?.latencyMs.p99).toBeGreaterThanOrEqual(SLOW_MS)
  }
  // One of the two waited in the queue while the other ran.
  await service.waitForCount(/session \S+ from \S+ \(host [^)]*\): "browse" on \S+, \S+, [\d.]+ s: \d+ ok, 0 failed; done/, 2)
  expect(service.output()).toMatch(/queued at place 1/)
})

test('a Jest project and a Vitest project as the two clients: both pass, and the target counts the sum', async () => {
  const before = target?.requestCount ?? 0
  const [jest, vitest] = await Promise.all([
    runJest(['--config', 'project-jest/jest.config.js'], { cwd: copy, json: true, env: { LOADSPEC_NATS_SERVER_URL: nats?.url ?? '' }, timeoutMs: 90_000 }),
    runProject('project-b'),
  ])
  expect(jest.exitCode, jest.output).toBe(0)
  expect(vitest.exitCode, vitest.output).toBe(0)
  expect(jest.output).toMatch(/loadspec: coordinator shop\/ci \(\S+\): 2 agents/)
  expect(testsByTitle(jest.report).get('team C (Jest): 40 browsing sessions without errors')?.status).toBe('passed')
  // 2 × 20 iterations for the Jest project, 2 × 30 for project B.
  expect((target?.requestCount ?? 0) - before).toBe(40 + 60)
})
