/**
 * `vitest run` of a fixture project whose plugin makes every loadScenario a
 * coordinator over NATS, with two `loadspec agent` processes against a real
 * nats-server on a free port, all started here and stopped by PID. The
 * global setup checks the agents once, up front; the matchers see the
 * merged result of both agents.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { agentIdOf, startAgentProcess, type NodeProcess } from '../support/cluster-processes.js'
import { startHttpTarget, type HttpTarget } from '../support/http-target.js'
import { startNatsServer, type NatsServerHandle } from '../support/nats-server.js'
import { fixturesDir, repoRoot, runVitest, testsByTitle, type VitestRun } from '../support/vitest-cli.js'

const fixture = join(fixturesDir, 'vitest-cluster-nats')
/** The fixture's ClusterCommandTimeoutMs (loadspec.config.json). */
const COMMAND_TIMEOUT_MS = 2000

let nats: NatsServerHandle | undefined
/** What the agents' `failing` scenario loads: every request answered 500, and counted. */
let target: HttpTarget | undefined
const agents: NodeProcess[] = []
const agentIds: string[] = []

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist/plugin/vitest.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before the e2e tests')
  nats = await startNatsServer()
  target = await startHttpTarget(() => ({ status: 500, body: 'boom' }))
  for (const label of ['agent-a', 'agent-b']) {
    agents.push(
      startAgentProcess('test/fixtures/vitest-cluster-nats/scenarios.ts', [`--NatsServerUrl=${nats.url}`, '--ClusterId=vitest-e2e', '--AgentGroup=nats'], {
        FIXTURE_NODE: label,
        FIXTURE_TARGET_URL: target.url,
      }),
    )
  }
  for (const agent of agents) agentIds.push(await agentIdOf(agent))
})

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop()))
  await nats?.stop()
  await target?.close()
})

function runFixture(args: readonly string[]): Promise<VitestRun> {
  return runVitest(args, { cwd: fixture, json: true, env: { LOADSPEC_NATS_SERVER_URL: nats?.url ?? '' }, timeoutMs: 60_000 })
}

describe('loadScenario as a coordinator over NATS with two agent processes', () => {
  let run: VitestRun
  beforeAll(async () => {
    // Both budget files in one run: the plugin runs them one at a time, so they do not compete for the two agents.
    run = await runFixture(['budget'])
  })

  test('the global setup found both agents once, up front', () => {
    expect(run.stdout).toContain('loadspec: 2 agents of ClusterId "vitest-e2e" and AgentGroup "nats" answered: ')
    for (const agentId of agentIds) expect(run.stdout).toContain(agentId)
  })

  test('a budget that holds passes, with the merged figures of both agents in the annotation and task.meta', () => {
    const passing = testsByTitle(run.report).get('checkout on two agents keeps p99 under 50 ms')
    expect(passing?.status, run.output).toBe('passed')
    // Coordinator plus two agents; 50 iterations on each agent.
    expect(passing?.meta['loadspec']).toMatchObject({ nodeCount: 3, incomplete: false, scenarios: [{ name: 'checkout', okCount: 100, failCount: 0 }] })
    expect(run.stdout).toMatch(/↳ checkout: [\d.]+ rps \(all requests\) · ok p50 [\d.]+ ms · ok p99 [\d.]+ ms · fail 0\.0 % · dropped 0 · 3 nodes/)
  })

  test('a broken budget fails with the merged figures: both agents in one table, p99 from the slower one', () => {
    const failing = testsByTitle(run.report).get('checkout on two agents keeps p99 under 5 ms')
    expect(failing?.status, run.output).toBe('failed')
    expect(run.exitCode).toBe(1)
    const message = failing?.failureMessages.join('\n') ?? ''
    expect(message).toMatch(/expected scenario "checkout" to have p99 latency below 5 ms, but its p99 latency is 8\.\d\d ms/)
    expect(message).toMatch(/scenario "checkout": 100 requests in /)
    expect(message).toMatch(/ok\s+100\s/)
    // Which agent got which partition is the coordinator's choice; each ran its 50 iterations.
    expect(message).toMatch(/agent-a\/p[01]of2\s+ok\s+50\s+50\.0 %/)
    expect(message).toMatch(/agent-b\/p[01]of2\s+ok\s+50\s+50\.0 %/)
  })
})

describe('abortOnFail over NATS', () => {
  test('the merged live result of both agent processes aborts the run: every node stops, the message names the abort', async () => {
    const before = target?.requestCount ?? 0
    // Every agent runs it (the fixture's config sends only checkout to every agent).
    const run = await runFixture(['abort', '--', '--AgentTargetScenarios=failing'])
    const aborted = testsByTitle(run.report).get('a service failing every request on two agents is aborted once 2 s have passed')
    expect(aborted?.status, run.output).toBe('failed')
    const message = aborted?.failureMessages.join('\n') ?? ''
    expect(message).toMatch(/aborted [2-4]\.\d s into a 20 s plan: its abortOnFail check failed\./)
    expect(message).toMatch(/expected scenario "failing" to have a fail rate below 0\.5 \(50 %\), but it is 1 \(100 %\)/)
    const meta = aborted?.meta['loadspec'] as { nodeCount: number; durationMs: number; scenarios: { failCount: number }[] } | undefined
    expect(meta?.nodeCount).toBe(3)
    expect(meta?.durationMs).toBeLessThan(5000)
    // The target's own count: both agents loaded it (> 1 s of 50/s each) and both stopped (under 5 s of 2 × 50/s).
    const served = (target?.requestCount ?? 0) - before
    expect(served).toBeGreaterThan(100)
    expect(served).toBeLessThan(500)
    expect(meta?.scenarios[0]?.failCount).toBe(served)
    for (const agent of ['agent-a', 'agent-b']) expect(message).toContain(`HTTP 500 from ${agent}`)
  })
})

test('too few agents: the global setup fails the whole run after ClusterCommandTimeoutMs, naming who answered', async () => {
  const run = await runFixture(['budget-pass', '--', '--AgentsCount=3'])
  expect(run.exitCode).not.toBe(0)
  expect(run.output).toContain('loadspec: no test ran. With NodeType "Coordinator", the global setup checks once that the agents are there, and this check failed:')
  expect(run.output).toMatch(/Waited 2000 ms for 3 agents \(AgentsCount\) of ClusterId "vitest-e2e" and AgentGroup "nats" on NATS nats:\/\/127\.0\.0\.1:\d+; 2 answered: /)
  for (const agentId of agentIds) expect(run.output).toContain(agentId)
  expect(testsByTitle(run.report).size).toBe(0)
  // It waited the command timeout once, then stopped: no loadScenario waited again.
  expect(run.durationMs).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS)
  expect(run.durationMs).toBeLessThan(COMMAND_TIMEOUT_MS + 15_000)
})
