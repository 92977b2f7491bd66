/**
 * The coordinator service's queue over the in-memory transport (the same
 * code as over NATS): three clients needing both agents, submitted at once,
 * are served one after the other in the order they were submitted, each
 * told its place while it waits; a session the fleet can never serve is
 * refused at once; a withdrawn queued session gives up its place.
 */
import { afterEach, expect, it } from 'vitest'
import { Response, Scenario, Simulation, resolveConfig, type LoadspecConfigInput } from '../../src/index.js'
import { ClusterAgent, ClusterError, CoordinatorService, MemoryBus, runClientSession, silentClusterLog } from '../../src/cluster/index.js'
import { scenarioFingerprint } from '../../src/cluster/fingerprint.js'
import { wireSettings } from '../../src/cluster/coordinator/load-shape.js'

let bus = new MemoryBus()
const agents: ClusterAgent[] = []
let service: CoordinatorService | undefined

afterEach(async () => {
  await service?.stop('test over')
  await Promise.all(agents.splice(0).map((agent) => agent.stop()))
  await bus.close()
  bus = new MemoryBus()
})

function config(overrides: LoadspecConfigInput = {}) {
  return resolveConfig({
    argv: [],
    env: {},
    builder: { nodeType: 'Client', natsServerUrl: 'nats://127.0.0.1:1', agentsCount: 2, clusterCommandTimeoutMs: 5000, heartbeatIntervalMs: 100, agentLostTimeoutMs: 1000, reportsEnabled: false, ...overrides },
  })
}

const work = Scenario.create('work', () => Response.ok(200, 0, '', 1)).withLoadSimulations(Simulation.inject(50, 1, '200ms'))

async function startFleet(): Promise<void> {
  for (const agentId of ['agent-a', 'agent-b']) {
    const agent = new ClusterAgent({ scenarios: [work], transport: bus.connect(agentId), clusterId: 'loadspec', agentGroup: 'default', agentId, log: silentClusterLog })
    agent.start()
    agents.push(agent)
  }
  service = new CoordinatorService({ scenarios: [], config: { ...config(), nodeType: 'Coordinator' }, transport: bus.connect('service'), log: silentClusterLog })
  service.start()
  // The fleet is known after two discover rounds: until then a session the fleet cannot serve is queued, not refused.
  await new Promise((resolve) => setTimeout(resolve, 300))
}

function submit(clientId: string, scenario: Scenario, overrides: LoadspecConfigInput = {}, stopSignal?: AbortSignal) {
  const places: number[] = []
  const outcome = runClientSession({
    scenarios: [{ name: scenario.name, settings: wireSettings(scenario), fingerprint: scenarioFingerprint(scenario) }],
    config: config(overrides),
    transport: bus.connect(clientId),
    clientId,
    // A place is repeated when only the reason it waits changes (agents freed, busy again).
    onState: (state) => void (places.at(-1) === state.position ? undefined : places.push(state.position)),
    ...(stopSignal === undefined ? {} : { stopSignal }),
  })
  return { outcome, places }
}

it('serves sessions that need the same agents first in, first out, telling each its place', async () => {
  await startFleet()
  const finished: string[] = []
  const clients = ['first', 'second', 'third'].map((clientId) => {
    const session = submit(clientId, work)
    return { ...session, done: session.outcome.then(() => void finished.push(clientId)) }
  })
  await Promise.all(clients.map((client) => client.done))
  expect(finished).toEqual(['first', 'second', 'third'])
  // 0 = running; the third saw itself move up from place 2 to place 1.
  expect(clients[0]?.places).toEqual([0])
  expect(clients[2]?.places).toEqual([2, 1, 0])
  for (const client of clients) expect((JSON.parse((await client.outcome).resultText) as { scenarios: { ok: { count: number } }[] }).scenarios[0]?.ok.count).toBe(20)
})

it('refuses at once what the fleet can never serve, and lets a withdrawn session leave the queue', async () => {
  await startFleet()
  const tooMany = await submit('greedy', work, { agentsCount: 3 }).outcome.catch((error: unknown) => error)
  expect((tooMany as ClusterError).code).toBe('session-refused')
  expect((tooMany as ClusterError).message).toMatch(/\(too-few-agents\): AgentsCount is 3, but the fleet has 2 agents that registered "work"/)

  const running = submit('running', work)
  const stop = new AbortController()
  const withdrawn = submit('withdrawn', work, {}, stop.signal)
  const after = submit('after', work)
  await new Promise((resolve) => setTimeout(resolve, 50))
  expect(withdrawn.places).toEqual([1])
  stop.abort(new Error('Ctrl-C'))
  await Promise.all([running.outcome, after.outcome])
  // "after" moved up to place 1 once "withdrawn" left, then ran.
  expect(after.places).toEqual([2, 1, 0])
  expect(service?.status().sessions).toEqual([])
})
