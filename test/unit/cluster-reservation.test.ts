/**
 * All-or-nothing reservation over the in-memory transport (the same code as
 * over NATS): coordinators that each reserved half of the agents both let go
 * and finish one after the other; a busy agent says who holds it; a
 * reservation nobody follows up lapses; reserve and assign reach only the
 * process they name.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Response, Scenario, Simulation, resolveConfig, type LoadspecConfigInput } from '../../src/index.js'
import { AgentDirectory, ClusterAgent, MemoryBus, MessageEncoder, MessageGate, clusterSubjects, runCoordinatorSession, type ClusterLog, type ClusterTransport, type CoordinatorSessionOptions, type MemoryTransport } from '../../src/cluster/index.js'
import { createRunResult } from '../../src/result/result.js'
import { kindOf, WrappedTransport } from '../support/wrapped-transport.js'

interface RecordingLog extends ClusterLog {
  readonly infos: string[]
  readonly warnings: string[]
}
const log: RecordingLog = { infos: [], warnings: [], info: (message) => void log.infos.push(message), warn: (message) => void log.warnings.push(message), debug: () => {} }

let bus = new MemoryBus()
const agents: ClusterAgent[] = []
const calls = new Map<string, number>()

afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.stop()))
  await bus.close()
  bus = new MemoryBus()
  calls.clear()
  log.infos.length = 0
  log.warnings.length = 0
})

function config(overrides: LoadspecConfigInput = {}) {
  return resolveConfig({
    argv: [],
    env: {},
    // A reservation attempt waits one heartbeat for its answers: 200 ms leaves room for the 30 ms hold-backs below on a busy machine.
    builder: { nodeType: 'Coordinator', enableLocalDevCluster: true, agentsCount: 2, clusterCommandTimeoutMs: 5000, heartbeatIntervalMs: 200, agentLostTimeoutMs: 1000, reportsEnabled: false, ...overrides },
  })
}

/** 15 requests per node and session; the handler counts per agent. */
function work(label: string): Scenario {
  return Scenario.create('work', () => {
    calls.set(label, (calls.get(label) ?? 0) + 1)
    return Response.ok(200, 0, '', 1)
  }).withLoadSimulations(Simulation.inject(50, 1, '300ms'))
}

function startAgent(agentId: string): ClusterAgent {
  const agent = new ClusterAgent({ scenarios: [work(agentId)], transport: bus.connect(agentId), clusterId: 'loadspec', agentGroup: 'default', agentId, log })
  agent.start()
  agents.push(agent)
  return agent
}

/** Records the kind of every message a coordinator publishes, and holds back the first reserve to one agent for `delayMs`. */
class HoldingBackTransport extends WrappedTransport {
  readonly kinds: string[] = []
  private heldBack = false
  constructor(
    inner: MemoryTransport,
    private readonly slowAgentSubject: string,
    private readonly delayMs: number,
  ) {
    super(inner)
  }
  override publish(subject: string, payload: Uint8Array): void {
    const kind = kindOf(payload)
    this.kinds.push(kind)
    if (kind === 'reserve' && subject === this.slowAgentSubject && !this.heldBack) {
      this.heldBack = true
      setTimeout(() => this.inner.publish(subject, payload), this.delayMs)
      return
    }
    this.inner.publish(subject, payload)
  }
}

function coordinate(transport: ClusterTransport, options: Partial<CoordinatorSessionOptions> = {}) {
  // Defaults only when not given: resolving a config takes milliseconds on a busy machine.
  return runCoordinatorSession({ transport, log, interimIntervalMs: 100, ...options, scenarios: options.scenarios ?? [work('coordinator')], config: options.config ?? config() })
}

const subjects = clusterSubjects('loadspec', 'default')

describe('reserving agents, all or nothing', () => {
  it('two coordinators that each reserved one of the two agents both release, and then finish one after the other', async () => {
    startAgent('agent-1')
    startAgent('agent-2')
    // Each coordinator's reserve to "the other" agent arrives late, so each first holds one agent and hears "busy" from the other.
    const first = new HoldingBackTransport(bus.connect('first'), subjects.agent('agent-2'), 30)
    const second = new HoldingBackTransport(bus.connect('second'), subjects.agent('agent-1'), 30)
    const [a, b] = await Promise.all([coordinate(first, { coordinatorId: 'first', random: () => 0.1 }), coordinate(second, { coordinatorId: 'second', random: () => 0.9 })])

    for (const run of [a, b]) expect(createRunResult(run.result).getScenarioStats('work').ok.request.count).toBe(30)
    expect((calls.get('agent-1') ?? 0) + (calls.get('agent-2') ?? 0)).toBe(60)
    expect(calls.get('coordinator')).toBeUndefined()
    // The split happened, both let go, and the one with the shorter back-off got both agents on its next attempt.
    expect(first.kinds.filter((kind) => kind === 'release').length).toBeGreaterThanOrEqual(2)
    expect(second.kinds.filter((kind) => kind === 'release').length).toBeGreaterThanOrEqual(2)
    expect(a.reservationAttempts).toBe(2)
    expect(b.reservationAttempts).toBeGreaterThanOrEqual(2)
    // A busy agent says who holds it.
    expect(log.infos.join('\n')).toMatch(
      new RegExp(`agent agent-2 is busy \\(agent agent-2 is reserved for session ${b.sessionId} of coordinator second \\(host \\S+, pid ${process.pid}\\)\\); releasing this attempt's reservations`),
    )
    expect(log.infos.join('\n')).toMatch(new RegExp(`agent agent-1 is busy \\(agent agent-1 is reserved for session ${a.sessionId} of coordinator first `))
  })

  it('three coordinators needing both of two agents all complete, each with exact counts', async () => {
    startAgent('agent-1')
    startAgent('agent-2')
    const runs = await Promise.all(['c1', 'c2', 'c3'].map((id) => coordinate(bus.connect(id), { coordinatorId: id })))
    for (const run of runs) expect(createRunResult(run.result).getScenarioStats('work').ok.request.count).toBe(30)
    expect((calls.get('agent-1') ?? 0) + (calls.get('agent-2') ?? 0)).toBe(90)
  })

  it('a reservation that is neither assigned nor released lapses after its lease; meanwhile the agent names its holder', async () => {
    const agent = startAgent('agent-1')
    // A coordinator that reserves and then vanishes.
    const ghost = bus.connect('ghost')
    const encoder = new MessageEncoder({ clusterId: 'loadspec', agentGroup: 'default' }, 'ghost-coordinator')
    const announces: string[] = []
    ghost.subscribe(subjects.announce, (payload) => announces.push((JSON.parse(new TextDecoder().decode(payload)) as { state: string }).state))
    const reservedAtMs = performance.now()
    ghost.publish(
      subjects.agent('agent-1'),
      encoder.encode('reserve', { sessionId: 'ghost-session', agentId: 'agent-1', agentInstanceId: agent.instanceId, attempt: 1, leaseMs: 600, coordinatorHost: 'ghost-host', coordinatorPid: 777 }),
    )
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(agent.state).toBe('busy')
    // While held, a coordinator that needs it cannot have it, and its error says who holds it.
    const error = await coordinate(bus.connect('c1'), { config: config({ agentsCount: 1, clusterCommandTimeoutMs: 300 }) }).then(
      () => new Error('the coordinator should not have got the agent'),
      (caught: unknown) => caught as Error,
    )
    expect(error.message).toMatch(/1 answered: agent-1 \(host \S+, pid \d+\) \[busy: reserved for session ghost-session of coordinator ghost-coordinator \(host ghost-host, pid 777\)\]/)
    // Free again when the lease runs out, which it says at once: the next coordinator gets it.
    // Options first: resolving a config takes milliseconds on a busy machine, and would count as waiting for the lease.
    const second = { transport: bus.connect('c2'), options: { config: config({ agentsCount: 1 }) } }
    const secondBeganMs = performance.now()
    const run = await coordinate(second.transport, second.options)
    expect(createRunResult(run.result).getScenarioStats('work').ok.request.count).toBe(15)
    // Not before the lease ran out (a lower bound: a slow machine only makes it later). A Node timer
    // may fire up to 1 ms early against performance.now() (libuv's loop clock counts whole ms): 599.
    expect(secondBeganMs + run.timings.agentsFoundMs - reservedAtMs).toBeGreaterThanOrEqual(599)
    expect(announces).toContain('idle')
  })

  it('reserve and assign reach only the process they name: another process with the same agent id ignores them', async () => {
    const agent = startAgent('agent-1')
    const other = bus.connect('other')
    const encoder = new MessageEncoder({ clusterId: 'loadspec', agentGroup: 'default' }, 'some-coordinator')
    const replies: string[] = []
    other.subscribe(subjects.session('s-1'), (payload) => replies.push((JSON.parse(new TextDecoder().decode(payload)) as { kind: string }).kind))
    const reserve = (agentInstanceId: string) =>
      encoder.encode('reserve', { sessionId: 's-1', agentId: 'agent-1', agentInstanceId, attempt: 1, leaseMs: 1000, coordinatorHost: 'h', coordinatorPid: 1 })
    other.publish(subjects.agent('agent-1'), reserve('someone-else'))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(replies).toEqual([])
    expect(agent.state).toBe('idle')
    expect(log.warnings.join('\n')).toMatch(/agent agent-1 \(pid \d+\) ignored "reserve" for another process with the same agent id \(instance someone-else\): give every agent process its own --agent-id/)
    other.publish(subjects.agent('agent-1'), reserve(agent.instanceId))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(replies).toEqual(['reserved'])
  })

  it('sessions can share one long-lived directory (as a coordinator service would): each reserves from it, none stops it', async () => {
    startAgent('agent-1')
    startAgent('agent-2')
    const transport = bus.connect('service')
    const namespace = { clusterId: 'loadspec', agentGroup: 'default' }
    const directory = new AgentDirectory(transport, subjects, new MessageEncoder(namespace, 'service'), new MessageGate(namespace, log, 'service'), log)
    directory.start(200)
    try {
      const runs = await Promise.all(['s1', 's2'].map((id) => coordinate(transport, { coordinatorId: id, directory })))
      for (const run of runs) expect(createRunResult(run.result).getScenarioStats('work').ok.request.count).toBe(30)
      // Still listening and discovering after both sessions.
      expect([...directory.agents.keys()].sort()).toEqual(['agent-1', 'agent-2'])
      const third = await coordinate(transport, { coordinatorId: 's3', directory })
      expect(createRunResult(third.result).getScenarioStats('work').ok.request.count).toBe(30)
    } finally {
      directory.close()
    }
  })
})
