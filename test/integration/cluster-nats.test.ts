/**
 * Coordinator + agent processes over a real nats-server: targeting, exact
 * merging across processes, agents serving several sessions, namespaces
 * that keep other clusters out, and the errors a user meets. Agent
 * processes run `node bin/loadspec.js agent` (built by `npm test`'s
 * pretest), exactly as a user starts them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Runner, type RunResult, type Scenario } from '../../src/index.js'
import { ClusterError } from '../../src/cluster/index.js'
import { all, shared } from '../fixtures/cluster-nodes/scenarios.js'
import { agentIdOf, startAgentProcess, type NodeProcess } from '../support/cluster-processes.js'
import { startNatsServer, type NatsServerHandle } from '../support/nats-server.js'

const SCENARIOS = 'test/fixtures/cluster-nodes/scenarios.ts'
const CLUSTER = 'itest'
const GROUP = 'g1'

let nats: NatsServerHandle
const agents: Record<string, NodeProcess> = {}
const agentIds: Record<string, string> = {}

beforeAll(async () => {
  nats = await startNatsServer()
  const start = (label: string, clusterId: string, group: string): void => {
    agents[label] = startAgentProcess(SCENARIOS, [`--NatsServerUrl=${nats.url}`, `--ClusterId=${clusterId}`, `--AgentGroup=${group}`], { LOADSPEC_FIXTURE_NODE: label })
  }
  start('agent-a', CLUSTER, GROUP)
  start('agent-b', CLUSTER, GROUP)
  // Same server, other namespaces: never to be used by the coordinator below.
  start('other-group', CLUSTER, 'g2')
  start('other-cluster', 'another-cluster', GROUP)
  for (const [label, agent] of Object.entries(agents)) agentIds[label] = await agentIdOf(agent)
})

afterAll(async () => {
  const exitCodes = await Promise.all(Object.values(agents).map((agent) => agent.stop('SIGTERM')))
  await nats?.stop()
  // SIGTERM is a clean stop: every agent exits by itself with code 0.
  expect(exitCodes).toEqual(Object.values(agents).map(() => 0))
})

function coordinator(...scenarios: Scenario[]) {
  return Runner.registerScenarios(...scenarios)
    .withConfigSources({ argv: [], env: {} })
    .withoutReports()
    .withNodeType('Coordinator')
    .withNatsServerUrl(nats.url)
    .withClusterId(CLUSTER)
    .withAgentGroup(GROUP)
    .withAgentsCount(2)
    .withClusterCommandTimeout(10_000)
}

/** Status codes are "<node label>/p<partition>of<count>": where each request ran. */
function codes(result: RunResult, scenario: string): Record<string, number> {
  return Object.fromEntries(result.getScenarioStats(scenario).statusCodes.map((code) => [code.statusCode, code.count]))
}

function runAgentTargeted(builder: ReturnType<typeof coordinator>) {
  return builder.withTargetScenarios('shared', 'coordinator-only').withAgentTargetScenarios('shared').withCoordinatorTargetScenarios('coordinator-only').run({ quiet: true })
}

describe('a coordinator with two agent processes over NATS', () => {
  let agentTargeted: RunResult

  beforeAll(async () => {
    agentTargeted = await runAgentTargeted(coordinator(...all))
  })

  it('runs coordinator-only scenarios on the coordinator alone and agent targets on every agent, counts adding up exactly', () => {
    expect(codes(agentTargeted, 'coordinator-only')).toEqual({ 'main/p0of1': 20 })
    // Each agent ran the whole load shape (100 iterations) under its own partition of 2.
    const shares = codes(agentTargeted, 'shared')
    expect([
      ['agent-a/p0of2', 'agent-b/p1of2'],
      ['agent-a/p1of2', 'agent-b/p0of2'],
    ]).toContainEqual(Object.keys(shares).sort())
    expect(Object.values(shares)).toEqual([100, 100])
    expect(agentTargeted.getScenarioStats('shared').ok.request.count).toBe(200)
    expect(agentTargeted.scenarioStats.map((stats) => stats.scenarioName).sort()).toEqual(['coordinator-only', 'shared'])
    const byNode = agentTargeted.nodes.map((node) => [node.nodeType, node.scenarios.join(','), `${node.partition.number}/${node.partition.count}`])
    expect(byNode.sort()).toEqual([
      ['Agent', 'shared', '0/2'],
      ['Agent', 'shared', '1/2'],
      ['Coordinator', 'coordinator-only', '0/1'],
    ])
    expect(agentTargeted.warnings).toEqual([])
    expect(agentTargeted.incomplete).toBe(false)
  })

  it('merges exactly across processes: p95 is 80 ms, not the ~41 ms a count-weighted average of the two nodes gives', () => {
    // Partition 0 answers in 2 ms always; partition 1 in 80 ms on every 5th of its 100 iterations.
    // All 200 samples: 20 at 80 ms (10 %), so the 95th percentile is 80 ms. Each node alone has
    // p95 2 ms and 80 ms; averaging those by count (LoadStrike's merge) would claim 41 ms.
    const stats = agentTargeted.getScenarioStats('shared')
    expect(stats.ok.latencyMs.p95).toBeGreaterThanOrEqual(80)
    expect(stats.ok.latencyMs.p95).toBeLessThanOrEqual(80 * 1.001) // HDR, 3 significant digits
    const countWeightedAverageOfP95 = (100 * 2 + 100 * 80) / 200
    expect(countWeightedAverageOfP95).toBe(41)
    expect(stats.ok.latencyMs.p95).not.toBeCloseTo(countWeightedAverageOfP95, 0)
    expect(stats.ok.latencyMs.p50).toBeCloseTo(2, 1)
  })

  it('spreads the remaining scenarios over the agents by weight when no AgentTargetScenarios are set', async () => {
    const result = await coordinator(...all)
      .withTargetScenarios('heavy', 'light-a', 'light-b', 'coordinator-only')
      .withCoordinatorTargetScenarios('coordinator-only')
      .run({ quiet: true })
    // heavy (weight 2) gets an agent of its own; the two light ones (weight 1 each) share the other.
    const heavyNode = Object.keys(codes(result, 'heavy'))
    const lightNodes = [...Object.keys(codes(result, 'light-a')), ...Object.keys(codes(result, 'light-b'))]
    expect(heavyNode).toHaveLength(1)
    expect(new Set(lightNodes).size).toBe(1)
    expect(heavyNode[0]).toMatch(/^agent-[ab]\/p0of1$/)
    expect(lightNodes[0]).toMatch(/^agent-[ab]\/p0of1$/)
    expect(heavyNode[0]).not.toBe(lightNodes[0])
    expect(result.getScenarioStats('heavy').ok.request.count).toBe(60)
    expect(result.getScenarioStats('light-a').ok.request.count).toBe(30)
    expect(result.getScenarioStats('light-b').ok.request.count).toBe(30)
    expect(codes(result, 'coordinator-only')).toEqual({ 'main/p0of1': 20 })
    expect(result.nodes.filter((node) => node.nodeType === 'Agent').map((node) => node.scenarios.join(',')).sort()).toEqual(['heavy', 'light-a,light-b'])
  })

  it('never uses agents of another ClusterId or AgentGroup', () => {
    const used = agentTargeted.nodes.map((node) => node.nodeId)
    expect(used).toContain(agentIds['agent-a'])
    expect(used).toContain(agentIds['agent-b'])
    expect(used).not.toContain(agentIds['other-group'])
    expect(used).not.toContain(agentIds['other-cluster'])
    expect(agents['other-group']?.output()).not.toMatch(/session \S+ from coordinator/)
    expect(agents['other-cluster']?.output()).not.toMatch(/session \S+ from coordinator/)
  })

  it('fails within ClusterCommandTimeoutMs when AgentsCount is not met, naming the agents that answered', async () => {
    const started = performance.now()
    const error = await coordinator(...all).withAgentsCount(3).withClusterCommandTimeout(1500).withAgentTargetScenarios('shared').withCoordinatorTargetScenarios('coordinator-only').withTargetScenarios('shared', 'coordinator-only').run({ quiet: true }).then(
      () => undefined,
      (caught: unknown) => caught,
    )
    const elapsedMs = performance.now() - started
    expect(error).toBeInstanceOf(ClusterError)
    const clusterError = error as ClusterError
    expect(clusterError.code).toBe('agents-missing')
    expect(clusterError.message).toContain('waited 1500 ms')
    expect(clusterError.message).toContain(agentIds['agent-a'])
    expect(clusterError.message).toContain(agentIds['agent-b'])
    expect(clusterError.message).toContain('1 more agent is missing')
    expect(clusterError.message).not.toContain(agentIds['other-group'])
    expect(clusterError.agents.map((agent) => agent.agentId).sort()).toEqual([agentIds['agent-a'], agentIds['agent-b']].sort())
    expect(elapsedMs).toBeGreaterThanOrEqual(1400)
    expect(elapsedMs).toBeLessThan(1500 + 1500)
  })

  it('reports an assignment naming a scenario the agents did not register as an error from the agent', async () => {
    const { Scenario: ScenarioApi, Response, Simulation } = await import('../../src/index.js')
    const notOnAgents = ScenarioApi.create('not-on-agents', () => Response.ok()).withLoadSimulations(Simulation.inject(10, 1, '1s'))
    const error = await coordinator(shared, notOnAgents)
      .withAgentTargetScenarios('not-on-agents')
      .withTargetScenarios('not-on-agents')
      .run({ quiet: true })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      )
    expect(error).toBeInstanceOf(ClusterError)
    expect((error as ClusterError).code).toBe('agent-refused')
    expect((error as ClusterError).message).toMatch(/Agent \S+ \(host .*\) refused its assignment: agent \S+ has no scenario named "not-on-agents"/)
  })

  it('lets each agent serve several sessions in a row, and the same run repeats exactly', async () => {
    const again = await runAgentTargeted(coordinator(...all))
    expect(again.getScenarioStats('shared').ok.request.count).toBe(200)
    expect(again.getScenarioStats('shared').ok.latencyMs.p95).toBeCloseTo(80, 0)
    // Sessions so far: agent-targeted, weighted spread, refused (unknown scenario), this one.
    for (const label of ['agent-a', 'agent-b']) {
      const agent = agents[label] as NodeProcess
      await agent.waitForCount(/final stats acknowledged/, 3)
    }
    // The coordinator cancels the session at the first refusal, so the other agent may never see that assignment.
    const refusals = ['agent-a', 'agent-b'].filter((label) => /refused \(unknown-scenario\)/.test((agents[label] as NodeProcess).output()))
    expect(refusals.length).toBeGreaterThanOrEqual(1)
  })

  it('gives the same merged shape under enableLocalDevCluster(true) as over NATS', async () => {
    const local = await runAgentTargeted(
      Runner.registerScenarios(...all).withConfigSources({ argv: [], env: {} }).withoutReports().enableLocalDevCluster(true).withAgentsCount(2),
    )
    const shape = (result: RunResult) => ({
      scenarios: result.scenarioStats
        .map((stats) => ({
          name: stats.scenarioName,
          ok: stats.ok.request.count,
          fail: stats.fail.request.count,
          p95: stats.ok.latencyMs.p95,
          // Node labels differ (in-process agents are all "main"); partitions and counts must not.
          codes: stats.statusCodes.map((code) => `${code.statusCode.replace(/^[^/]+\//, '')}:${code.count}`).sort(),
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      nodes: result.nodes.map((node) => `${node.nodeType}:${node.scenarios.join(',')}:${node.partition.number}/${node.partition.count}`).sort(),
      incomplete: result.incomplete,
      warnings: result.warnings,
    })
    expect(shape(local)).toEqual(shape(agentTargeted))
    expect(local.nodes.filter((node) => node.nodeType === 'Agent').map((node) => node.nodeId).sort()).toEqual(['local-agent-1', 'local-agent-2'])
  })
})
