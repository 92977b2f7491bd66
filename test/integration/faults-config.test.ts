/**
 * Bad cluster configuration is a clear error before any
 * load starts (no init runs, no handler is called, no agent joins): through
 * the Runner, and through `loadspec agent` as a user starts it. The engine's
 * own config tests (unit/config-errors.test.ts) cover every key's wording;
 * these show the cluster cases end to end.
 */
import { describe, expect, it } from 'vitest'
import { ConfigError, Response, Runner, Scenario, Simulation, type RunnerBuilder } from '../../src/index.js'
import { ClusterError } from '../../src/cluster/index.js'
import { startAgentProcess } from '../support/cluster-processes.js'
import { freePort } from '../support/nats-server.js'

/** Two scenarios whose init and handler count their calls: none may happen. */
function counted() {
  const calls = { inits: 0, handlers: 0 }
  const make = (name: string) =>
    Scenario.create(name, () => {
      calls.handlers++
      return Response.ok()
    })
      .withInit(() => {
        calls.inits++
      })
      .withLoadSimulations(Simulation.inject(10, 1, '1s'))
  return { calls, scenarios: [make('browse'), make('checkout')] }
}

async function failure(builder: RunnerBuilder): Promise<{ error: unknown; elapsedMs: number }> {
  const started = performance.now()
  const error = await builder.run({ quiet: true }).then(
    () => undefined,
    (caught: unknown) => caught,
  )
  return { error, elapsedMs: performance.now() - started }
}

const isolated = (builder: RunnerBuilder): RunnerBuilder => builder.withConfigSources({ argv: [], env: {} }).withoutReports()

describe('bad cluster configuration, through the Runner', () => {
  it('NodeType Agent without NatsServerUrl', async () => {
    const { calls, scenarios } = counted()
    const { error } = await failure(isolated(Runner.registerScenarios(...scenarios)).withNodeType('Agent'))
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toContain(
      'NatsServerUrl must be set when NodeType is "Agent", got nothing (not set; NodeType from builder/plugin option nodeType) — agents reach the coordinator through NATS',
    )
    expect(calls).toEqual({ inits: 0, handlers: 0 })
  })

  it('AgentsCount 0 for a coordinator', async () => {
    const { calls, scenarios } = counted()
    const { error } = await failure(isolated(Runner.registerScenarios(...scenarios)).withNodeType('Coordinator').withNatsServerUrl('nats://127.0.0.1:4222').withAgentsCount(0))
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toContain('AgentsCount must be at least 1 when NodeType is "Coordinator", got 0')
    expect(calls).toEqual({ inits: 0, handlers: 0 })
  })

  it('target lists that overlap (a scenario for the agents and for the coordinator)', async () => {
    const { calls, scenarios } = counted()
    const { error } = await failure(
      isolated(Runner.registerScenarios(...scenarios))
        .withNodeType('Coordinator')
        .withNatsServerUrl('nats://127.0.0.1:4222')
        .withAgentsCount(2)
        .withAgentTargetScenarios('browse', 'checkout')
        .withCoordinatorTargetScenarios('browse'),
    )
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toContain('AgentTargetScenarios must be disjoint from CoordinatorTargetScenarios, got ["browse","checkout"]')
    expect((error as Error).message).toContain('"browse" is in both lists; a scenario runs on the agents or on the coordinator, not both: remove it from one list')
    expect(calls).toEqual({ inits: 0, handlers: 0 })
  })

  it('target lists that leave a scenario nowhere: reported before connecting to anything', async () => {
    const { calls, scenarios } = counted()
    // Nothing listens at this URL: a placement error proves the lists were checked before any connection.
    const url = `nats://127.0.0.1:${await freePort()}`
    const { error } = await failure(
      isolated(Runner.registerScenarios(...scenarios))
        .withNodeType('Coordinator')
        .withNatsServerUrl(url)
        .withAgentsCount(2)
        .withTargetScenarios('browse', 'checkout')
        .withAgentTargetScenarios('browse'),
    )
    expect(error).toBeInstanceOf(ClusterError)
    expect((error as ClusterError).code).toBe('placement')
    expect((error as Error).message).toBe(
      'Scenario "checkout" would run nowhere: AgentTargetScenarios is set ("browse"), so agents run only those, and CoordinatorTargetScenarios (none) does not name it. ' +
        'Add it to one of the two lists, or leave it out with TargetScenarios.',
    )
    expect(calls).toEqual({ inits: 0, handlers: 0 })
  })

  it('a target list naming a scenario nobody registered', async () => {
    const { calls, scenarios } = counted()
    const { error } = await failure(
      isolated(Runner.registerScenarios(...scenarios)).withNodeType('Coordinator').withNatsServerUrl('nats://127.0.0.1:1').withCoordinatorTargetScenarios('chekout'),
    )
    expect((error as ClusterError).code).toBe('placement')
    expect((error as Error).message).toBe('CoordinatorTargetScenarios names "chekout" but no such scenario is registered; registered: "browse", "checkout"')
    expect(calls).toEqual({ inits: 0, handlers: 0 })
  })

  it('an unreachable NATS URL fails fast, naming the URL and the cause', async () => {
    const { calls, scenarios } = counted()
    const url = `nats://127.0.0.1:${await freePort()}`
    const { error, elapsedMs } = await failure(isolated(Runner.registerScenarios(...scenarios)).withNodeType('Coordinator').withNatsServerUrl(url).withAgentsCount(2))
    expect(error).toBeInstanceOf(ClusterError)
    expect((error as ClusterError).code).toBe('connect-failed')
    expect((error as Error).message).toBe(`Could not connect to NATS at ${url}: connection refused (nothing listens there: is nats-server running on that host and port?)`)
    expect(elapsedMs).toBeLessThan(1000)
    expect(calls).toEqual({ inits: 0, handlers: 0 })
  })
})

describe('bad configuration, through `loadspec agent`', () => {
  const SCENARIOS = 'test/fixtures/faults-nodes/scenarios.ts'

  it('without NatsServerUrl: exits with the config error, never joins', async () => {
    const agent = startAgentProcess(SCENARIOS, ['--ClusterId=x'], { LOADSPEC_FIXTURE_NODE: 'no-url' })
    expect(await agent.exited).toBe(1)
    expect(agent.output()).toContain('NatsServerUrl must be set when NodeType is "Agent"')
    expect(agent.output()).not.toMatch(/joined/)
  })

  it('with an unreachable NatsServerUrl: exits fast, naming the URL and the cause', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`
    const started = performance.now()
    const agent = startAgentProcess(SCENARIOS, [`--NatsServerUrl=${url}`], { LOADSPEC_FIXTURE_NODE: 'unreachable' })
    expect(await agent.exited).toBe(1)
    // Most of this is loading the TypeScript scenario module; connecting fails at once.
    expect(performance.now() - started).toBeLessThan(5000)
    expect(agent.output().trim()).toBe(`Could not connect to NATS at ${url}: connection refused (nothing listens there: is nats-server running on that host and port?)`)
  })

  it('with an --agent-id that cannot be a subject token: exits with usage, never connects', async () => {
    const agent = startAgentProcess(SCENARIOS, ['--agent-id', 'agents.*', '--NatsServerUrl=nats://127.0.0.1:1'], { LOADSPEC_FIXTURE_NODE: 'bad-id' })
    expect(await agent.exited).toBe(2)
    expect(agent.output()).toContain('loadspec agent: --agent-id "agents.*" must be 1 to 128 letters, digits, "-" or "_" (it becomes a NATS subject token)')
    expect(agent.output()).not.toMatch(/Could not connect/)
  })
})
