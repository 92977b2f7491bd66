/**
 * One plan, one window, one rps on every path (docs/numbers.md): a single
 * node, the in-process dev cluster (EnableLocalDevCluster) and a coordinator
 * with two agent processes over a real nats-server. Every node runs the
 * whole plan, so a cluster's merged rps is the sum of its nodes' rps over
 * one common window. Counts are checked against the HTTP target's own log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Runner, Simulation, type RunProgress, type RunResult, type RunnerBuilder } from '../../src/index.js'
import { windowed } from '../fixtures/cluster-nodes/scenarios.js'
import { startAgentProcess, type NodeProcess } from '../support/cluster-processes.js'
import { startCountingTarget, type CountingTarget } from '../support/faults.js'
import { startNatsServer, type NatsServerHandle } from '../support/nats-server.js'

// 100 iterations in 2 s, a 1 s pause, 25 more in 1 s: a 3 s window (the pause left out), 125 requests per node.
const PLAN = [Simulation.inject(50, 1, 2), Simulation.pause(1), Simulation.inject(25, 1, 1)]
const PER_NODE = 125
const WINDOW_MS = 3000
// The warm-up runs the plan's start for 0.5 s: 25 requests per node reach the target and are not measured.
const WARM_UP = '500ms'
const WARM_UP_PER_NODE = 25

const SCENARIOS = 'test/fixtures/cluster-nodes/scenarios.ts'
const scenario = windowed.withLoadSimulations(...PLAN).withWarmUpDuration(WARM_UP)

let target: CountingTarget
let nats: NatsServerHandle
const agents: NodeProcess[] = []

beforeAll(async () => {
  target = await startCountingTarget(1)
  process.env.NUMBERS_TARGET_URL = target.url
  nats = await startNatsServer()
  for (const label of ['agent-a', 'agent-b']) {
    agents.push(
      startAgentProcess(SCENARIOS, [`--NatsServerUrl=${nats.url}`, '--ClusterId=numbers', '--AgentGroup=cross-path'], {
        LOADSPEC_FIXTURE_NODE: label,
        NUMBERS_TARGET_URL: target.url,
      }),
    )
  }
  await Promise.all(agents.map((agent) => agent.waitFor(/joined ClusterId/)))
}, 30_000)

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop('SIGTERM')))
  await nats?.stop()
  await target?.close()
  delete process.env.NUMBERS_TARGET_URL
})

interface PathRun {
  readonly result: RunResult
  readonly progress: RunProgress[]
  /** Requests the target received per node during this run. */
  readonly byNode: Map<string, number>
}

async function runPath(builder: RunnerBuilder, nodes: readonly string[]): Promise<PathRun> {
  const before = new Map(nodes.map((node) => [node, target.countFor(node)]))
  const progress: RunProgress[] = []
  const result = await builder.withConfig({ reportingIntervalMs: 250 }).run({ quiet: true, onProgress: (update) => progress.push(update) })
  return { result, progress, byNode: new Map(nodes.map((node) => [node, target.countFor(node) - (before.get(node) ?? 0)])) }
}

function base(): RunnerBuilder {
  return Runner.registerScenarios(scenario).withConfigSources({ argv: [], env: {} }).withoutReports()
}

/** What every path must show: the same window, counts that match the target, rps = requests / window. */
function expectSameNumbers(run: PathRun, nodeCount: number): void {
  const stats = run.result.getScenarioStats('windowed')
  expect([...run.byNode.values()]).toEqual(Array.from({ length: nodeCount }, () => WARM_UP_PER_NODE + PER_NODE))
  expect(stats.allRequestCount).toBe(PER_NODE * nodeCount)
  expect(stats.durationMs).toBe(WINDOW_MS)
  expect(stats.window.pausedMs).toBe(1000)
  // Nodes end their warm-up (and its drain) a few ms apart: the common window spans them all.
  expect(Math.abs(stats.window.endMs - stats.window.startMs - (WINDOW_MS + 1000))).toBeLessThan(250)
  // The sum of the nodes' rps over the common window: each node 125 / 3 s.
  const nodeRps = [...run.byNode.values()].map((count) => (count - WARM_UP_PER_NODE) / (WINDOW_MS / 1000))
  expect(stats.allRequestRps).toBeCloseTo(nodeRps.reduce((sum, rps) => sum + rps, 0), 9)
  expect(stats.ok.request.rps).toBe((PER_NODE * nodeCount) / (WINDOW_MS / 1000))
  // Interim figures leave the warm-up out and count over the window so far: never more than the plan allows.
  const interims = run.progress.flatMap((update) => update.scenarios.filter((entry) => entry.scenarioName === 'windowed'))
  expect(interims.length).toBeGreaterThan(0)
  for (const interim of interims) {
    expect(interim.durationMs).toBeLessThanOrEqual(WINDOW_MS)
    expect(interim.ok.count + interim.fail.count).toBeLessThanOrEqual(nodeCount * (Math.floor(interim.durationMs / 20) + 1))
  }
}

describe('the same plan gives the same window and rps on every path', () => {
  it('on a single node', async () => {
    const run = await runPath(base(), ['main-p0'])
    expectSameNumbers(run, 1)
    expect(run.result.nodes[0]?.generator?.wallMs).toBeGreaterThan(WINDOW_MS)
  })

  it('in the in-process dev cluster with two agents', async () => {
    const run = await runPath(base().enableLocalDevCluster(true).withAgentsCount(2).withAgentTargetScenarios('windowed'), ['main-p0', 'main-p1'])
    expectSameNumbers(run, 2)
  })

  it('over a real nats-server with two agent processes', async () => {
    const builder = base()
      .withNodeType('Coordinator')
      .withNatsServerUrl(nats.url)
      .withClusterId('numbers')
      .withAgentGroup('cross-path')
      .withAgentsCount(2)
      .withAgentTargetScenarios('windowed')
      .withClusterCommandTimeout(15_000)
    const run = await runPath(builder, ['agent-a-p0', 'agent-b-p1', 'agent-a-p1', 'agent-b-p0'])
    // Which agent got which partition is the coordinator's choice: two of the four names, 150 requests each.
    const ran = new Map([...run.byNode].filter(([, count]) => count > 0))
    expect(ran.size).toBe(2)
    expectSameNumbers({ ...run, byNode: ran }, 2)
    // Each agent reports what its load cost its own process.
    const agentNodes = run.result.nodes.filter((node) => node.nodeType === 'Agent')
    expect(agentNodes).toHaveLength(2)
    for (const node of agentNodes) expect(node.generator?.cpuUserMs).toBeGreaterThan(0)
  }, 30_000)
})
