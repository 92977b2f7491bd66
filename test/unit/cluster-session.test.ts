/**
 * The coordinator and agent state machines, over the in-memory transport:
 * the same code as over NATS, with faults acted out by taking a transport
 * offline or dropping chosen messages.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Response, Scenario, Simulation, resolveConfig, type LoadSimulation, type LoadspecConfigInput } from '../../src/index.js'
import {
  ClusterAgent,
  ClusterError,
  MemoryBus,
  runCoordinatorSession,
  type AgentEvent,
  type ClusterLog,
  type ClusterTransport,
  type CoordinatorSessionOptions,
  type MemoryTransport,
} from '../../src/cluster/index.js'
import { createRunResult } from '../../src/result/result.js'
import type { RunProgress } from '../../src/result/progress.js'
import { kindOf, WrappedTransport } from '../support/wrapped-transport.js'

const quietLog: ClusterLog & { warnings: string[] } = { warnings: [], info: () => {}, debug: () => {}, warn: (message) => quietLog.warnings.push(message) }

function config(overrides: LoadspecConfigInput = {}) {
  return resolveConfig({
    argv: [],
    env: {},
    builder: {
      nodeType: 'Coordinator',
      // Lets the config validate without a NATS URL; the tests bring their own transport.
      enableLocalDevCluster: true,
      agentsCount: 2,
      clusterCommandTimeoutMs: 3000,
      heartbeatIntervalMs: 50,
      agentLostTimeoutMs: 300,
      reportsEnabled: false,
      ...overrides,
    },
  })
}

/** Drops the messages a predicate picks (by kind and subject), to act out lost messages. */
class LossyTransport extends WrappedTransport {
  readonly dropped: string[] = []
  readonly sent: string[] = []
  constructor(
    inner: MemoryTransport,
    private readonly drop: (kind: string, subject: string, sentBefore: number) => boolean,
  ) {
    super(inner)
  }
  override publish(subject: string, payload: Uint8Array): void {
    const kind = kindOf(payload)
    const sentBefore = this.sent.filter((entry) => entry === kind).length
    this.sent.push(kind)
    if (this.drop(kind, subject, sentBefore)) {
      this.dropped.push(kind)
      return
    }
    this.inner.publish(subject, payload)
  }
}

interface TestAgent {
  readonly agent: ClusterAgent
  readonly transport: MemoryTransport
  readonly events: AgentEvent[]
}

let bus: MemoryBus
const agents: TestAgent[] = []

function startAgent(scenarios: Scenario[], options: { agentId?: string; wrap?: (transport: MemoryTransport) => ClusterTransport; maxPayloadBytes?: number } = {}): TestAgent {
  bus ??= new MemoryBus()
  const agentId = options.agentId ?? `agent-${agents.length + 1}`
  const transport = bus.connect(agentId, options.maxPayloadBytes === undefined ? {} : { maxPayloadBytes: options.maxPayloadBytes })
  const events: AgentEvent[] = []
  const agent = new ClusterAgent({
    scenarios,
    transport: options.wrap?.(transport) ?? transport,
    clusterId: 'loadspec',
    agentGroup: 'default',
    agentId,
    log: quietLog,
    onEvent: (event) => events.push(event),
  })
  agent.start()
  const entry = { agent, transport, events }
  agents.push(entry)
  return entry
}

function coordinate(scenarios: Scenario[], overrides: LoadspecConfigInput = {}, options: Partial<CoordinatorSessionOptions> = {}) {
  bus ??= new MemoryBus()
  return runCoordinatorSession({ scenarios, config: config(overrides), transport: bus.connect(`coordinator-${Math.random()}`), log: quietLog, interimIntervalMs: 100, ...options })
}

function endedWith(agent: TestAgent): string[] {
  return agent.events.flatMap((event) => (event.type === 'session-ended' ? [event.outcome.kind] : []))
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

afterEach(async () => {
  await Promise.all(agents.splice(0).map(({ agent }) => agent.stop()))
  await bus?.close()
  bus = new MemoryBus()
  quietLog.warnings.length = 0
})

/** A scenario whose handler counts its calls and answers with its node's label as status code. */
function counted(name: string, label: string, simulation: LoadSimulation = Simulation.iterationsForConstant(2, 40)) {
  const counter = { calls: 0, inits: 0, cleans: 0 }
  const scenario = Scenario.create(name, (ctx) => {
    counter.calls++
    return Response.ok(`${label}/p${ctx.partition.number}of${ctx.partition.count}`, 0, '', 1)
  })
    .withInit(() => {
      counter.inits++
    })
    .withClean(() => {
      counter.cleans++
    })
    .withLoadSimulations(simulation)
  return { scenario, counter }
}

describe('a session over the in-memory transport', () => {
  it('places scenarios, tells each node its partition, merges exactly and reports merged progress', async () => {
    const a = startAgent([counted('work', 'a', Simulation.inject(100, 1, '600ms')).scenario])
    const b = startAgent([counted('work', 'b', Simulation.inject(100, 1, '600ms')).scenario])
    const coordinatorWork = counted('work', 'coordinator', Simulation.inject(100, 1, '600ms'))
    const local = counted('local', 'coordinator', Simulation.inject(50, 1, '600ms'))
    const progress: RunProgress[] = []
    const run = await coordinate(
      [coordinatorWork.scenario, local.scenario],
      { agentTargetScenarios: ['work'], coordinatorTargetScenarios: ['local'] },
      { onProgress: (entry) => progress.push(entry) },
    )
    const result = createRunResult(run.result)
    // The coordinator's load shape, the agents' code.
    expect(coordinatorWork.counter.calls).toBe(0)
    const work = result.getScenarioStats('work')
    expect(work.ok.request.count).toBe(120)
    expect(Object.fromEntries(work.statusCodes.map((code) => [code.statusCode, code.count]))).toEqual({ 'a/p0of2': 60, 'b/p1of2': 60 })
    expect(result.getScenarioStats('local').statusCodes.map((code) => `${code.statusCode}:${code.count}`)).toEqual(['coordinator/p0of1:30'])
    expect(result.nodes.map((node) => `${node.nodeId}:${node.scenarios.join(',')}`)).toEqual([expect.stringMatching(/^coordinator-.*:local$/), 'agent-1:work', 'agent-2:work'])
    expect(result.incomplete).toBe(false)
    expect(result.warnings).toEqual([])
    // One series interval for all nodes: the merged series adds up to the totals.
    const seriesTotal = result.timeSeries.flatMap((point) => point.scenarioStats).filter((stats) => stats.scenarioName === 'work').reduce((sum, stats) => sum + stats.ok.request.count, 0)
    expect(seriesTotal).toBe(120)
    expect(progress.length).toBeGreaterThanOrEqual(2)
    const last = progress.at(-1) as RunProgress
    const workProgress = last.scenarios.find((stats) => stats.scenarioName === 'work')
    expect(workProgress?.ok.count).toBeGreaterThan(0)
    expect(workProgress?.ok.count).toBeLessThanOrEqual(120)
    expect(run.timings.loadStartMs).toBeGreaterThanOrEqual(run.timings.nodesReadyMs)
    // The acknowledgement is on its way when the coordinator returns.
    await until(() => endedWith(a).length === 1 && endedWith(b).length === 1)
    expect(endedWith(a)).toEqual(['completed'])
    expect(endedWith(b)).toEqual(['completed'])
  })

  it('fails within ClusterCommandTimeoutMs when AgentsCount is not met, naming who answered, and never holds the one agent there is', async () => {
    const only = startAgent([counted('work', 'a').scenario])
    const started = performance.now()
    const error = await coordinate([counted('work', 'c').scenario], { clusterCommandTimeoutMs: 300 }).catch((caught: unknown) => caught)
    expect(performance.now() - started).toBeLessThan(300 + 500)
    expect(error).toBeInstanceOf(ClusterError)
    expect((error as ClusterError).code).toBe('agents-missing')
    expect((error as ClusterError).message).toMatch(/waited 300 ms .* for 2 agents .*; 1 answered: agent-1 \(host .*, pid \d+\) \[idle\]\. 1 more agent is missing/)
    expect((error as ClusterError).agents.map((agent) => agent.agentId)).toEqual(['agent-1'])
    // All or nothing: with one agent of two, nothing was reserved or assigned; the agent stayed free for others.
    expect(endedWith(only)).toEqual([])
    expect(only.agent.state).toBe('idle')
  })

  it('serializes two coordinators racing for one agent: the busy agent refuses, the second coordinator waits for it', async () => {
    const agent = startAgent([counted('work', 'a', Simulation.inject(50, 1, '300ms')).scenario])
    const coordinatorScenario = counted('work', 'c', Simulation.inject(50, 1, '300ms')).scenario
    const [first, second] = await Promise.all([coordinate([coordinatorScenario], { agentsCount: 1 }), coordinate([coordinatorScenario], { agentsCount: 1 })])
    expect(createRunResult(first.result).getScenarioStats('work').ok.request.count).toBe(15)
    expect(createRunResult(second.result).getScenarioStats('work').ok.request.count).toBe(15)
    await until(() => endedWith(agent).length === 2)
    expect(endedWith(agent)).toEqual(['completed', 'completed'])
  })

  it('reports an unknown scenario as an error from the agent, and cancels the other agents (whose clean runs)', async () => {
    const knows = counted('work', 'a')
    startAgent([knows.scenario])
    startAgent([counted('other', 'b').scenario], { agentId: 'agent-without-work' })
    const error = await coordinate([counted('work', 'c').scenario], { agentTargetScenarios: ['work'] }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ClusterError)
    expect((error as ClusterError).code).toBe('agent-refused')
    expect((error as ClusterError).message).toContain('Agent agent-without-work (host')
    expect((error as ClusterError).message).toContain('agent agent-without-work has no scenario named "work" (it registered "other")')
    await until(() => knows.counter.cleans === 1)
    expect(knows.counter.calls).toBe(0)
  })

  it("fails with an agent's init error before any node puts load on the target", async () => {
    const broken = Scenario.create('work', () => Response.ok())
      .withInit(() => {
        throw new Error('cannot reach the test database')
      })
      .withLoadSimulations(Simulation.inject(10, 1, '1s'))
    const healthy = counted('work', 'b')
    startAgent([broken])
    startAgent([healthy.scenario])
    const error = await coordinate([counted('work', 'c').scenario]).catch((caught: unknown) => caught)
    expect((error as ClusterError).code).toBe('agent-failed')
    expect((error as ClusterError).message).toMatch(/failed before load started \(init-failed\): Scenario "work" init failed: cannot reach the test database/)
    await until(() => healthy.counter.cleans === 1)
    expect(healthy.counter.calls).toBe(0)
  })

  it('ends a run whose agent goes silent with what that agent last reported, marked incomplete; the agent stops its load', async () => {
    const survivor = counted('work', 'a', Simulation.keepConstant(1, '1200ms'))
    const vanishing = counted('work', 'b', Simulation.keepConstant(1, '1200ms'))
    const slowly = (scenario: Scenario) => Scenario.create('work', async (ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      return scenario.handler?.(ctx)
    }).withClean(scenario.clean as never).withLoadSimulations(Simulation.keepConstant(1, '1200ms'))
    startAgent([slowly(survivor.scenario)])
    const lost = startAgent([slowly(vanishing.scenario)])
    setTimeout(() => lost.transport.setOnline(false), 400)
    const started = performance.now()
    // Intervals of 100 ms: the vanishing agent sends a few before it goes.
    const run = await coordinate([counted('work', 'c', Simulation.keepConstant(1, '1200ms')).scenario], { reportingIntervalMs: 100 })
    const elapsedMs = performance.now() - started
    const result = createRunResult(run.result)
    expect(result.incomplete).toBe(true)
    const lostNode = result.nodes.find((node) => node.nodeId === 'agent-2')
    expect(lostNode?.lost).toBe(true)
    expect(result.warnings.join('\n')).toMatch(/agent agent-2 \(host .*\) stopped answering \(no heartbeat for \d+ ms, AgentLostTimeoutMs is 300\) .*; its scenarios "work" count the \d+ intervals it sent/)
    const codes = Object.fromEntries(result.getScenarioStats('work').statusCodes.map((code) => [code.statusCode, code.count]))
    expect(codes['b/p0of1'] ?? codes['b/p1of2']).toBeGreaterThan(10)
    expect(elapsedMs).toBeLessThan(1200 + 2000)
    // The silent agent heard nothing either: it stopped its load, ran clean and left the session.
    await until(() => endedWith(lost).length === 1)
    expect(endedWith(lost)).toEqual(['coordinator-lost'])
    const callsAfterStop = vanishing.counter.calls
    expect(vanishing.counter.cleans).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(vanishing.counter.calls).toBe(callsAfterStop)
    expect(lost.agent.state).toBe('idle')
  })

  it('re-sends final stats until they are acknowledged', async () => {
    let lossy: LossyTransport | undefined
    startAgent([counted('work', 'a').scenario])
    startAgent([counted('work', 'b').scenario], {
      wrap: (transport) => (lossy = new LossyTransport(transport, (kind, _subject, sentBefore) => kind === 'final' && sentBefore < 2)),
    })
    const run = await coordinate([counted('work', 'c').scenario])
    expect(createRunResult(run.result).getScenarioStats('work').ok.request.count).toBe(80)
    expect(lossy?.dropped).toEqual(['final', 'final'])
    expect(lossy?.sent.filter((kind) => kind === 'final').length).toBe(3)
  })

  it('re-sends a lost start command when the agent still reports "ready"', async () => {
    startAgent([counted('work', 'a').scenario])
    startAgent([counted('work', 'b').scenario], { agentId: 'agent-b' })
    bus ??= new MemoryBus()
    const coordinatorTransport = new LossyTransport(bus.connect('lossy-coordinator'), (kind, subject, sentBefore) => kind === 'start' && subject.endsWith('.agent-b') && sentBefore < 2)
    const run = await runCoordinatorSession({ scenarios: [counted('work', 'c').scenario], config: config(), transport: coordinatorTransport, log: quietLog })
    expect(coordinatorTransport.dropped).toEqual(['start'])
    expect(createRunResult(run.result).getScenarioStats('work').ok.request.count).toBe(80)
  })

  it('cuts final stats into parts when they outgrow the transport payload limit', async () => {
    const simulation = Simulation.inject(100, 1, '500ms')
    startAgent([counted('work', 'a', simulation).scenario], { maxPayloadBytes: 4096 })
    startAgent([counted('work', 'b', simulation).scenario], { maxPayloadBytes: 4096 })
    const run = await coordinate([counted('work', 'c', simulation).scenario], { reportingIntervalMs: 50 })
    const result = createRunResult(run.result)
    expect(result.getScenarioStats('work').ok.request.count).toBe(100)
    expect(result.timeSeries.length).toBeGreaterThanOrEqual(9)
  })

  it('stops every node gracefully on the stop signal and returns what was measured', async () => {
    startAgent([counted('work', 'a', Simulation.keepConstant(1, '5s')).scenario])
    startAgent([counted('work', 'b', Simulation.keepConstant(1, '5s')).scenario])
    const stop = new AbortController()
    setTimeout(() => stop.abort(new Error('enough')), 400)
    const started = performance.now()
    const run = await coordinate([counted('work', 'c', Simulation.keepConstant(1, '5s')).scenario], {}, { stopSignal: stop.signal })
    expect(performance.now() - started).toBeLessThan(2000)
    const result = createRunResult(run.result)
    expect(result.incomplete).toBe(false)
    expect(result.getScenarioStats('work').ok.request.count).toBeGreaterThan(0)
  })

  it('cancels the session when stopped before load starts, and no node runs any load', async () => {
    const slowInit = (label: string) => {
      const entry = counted('work', label, Simulation.inject(10, 1, '1s'))
      return { ...entry, scenario: entry.scenario.withInit(() => new Promise((resolve) => setTimeout(resolve, 300))) }
    }
    const a = slowInit('a')
    const b = slowInit('b')
    const agentA = startAgent([a.scenario])
    startAgent([b.scenario])
    const stop = new AbortController()
    setTimeout(() => stop.abort(new Error('user pressed stop')), 100)
    const error = await coordinate([slowInit('c').scenario], {}, { stopSignal: stop.signal }).catch((caught: unknown) => caught)
    expect((error as ClusterError).code).toBe('stopped')
    expect((error as ClusterError).message).toBe('The run was stopped before load started: user pressed stop')
    await until(() => endedWith(agentA).length === 1)
    expect(endedWith(agentA)).toEqual(['cancelled'])
    expect(a.counter.calls + b.counter.calls).toBe(0)
  })

  it('completes with exact counts while garbage is published on every subject of the namespace', async () => {
    startAgent([counted('work', 'a', Simulation.inject(100, 1, '500ms')).scenario])
    startAgent([counted('work', 'b', Simulation.inject(100, 1, '500ms')).scenario])
    bus ??= new MemoryBus()
    const attacker = bus.connect('attacker')
    const garbage = [
      new Uint8Array([0xde, 0xad]),
      new TextEncoder().encode('{"protocol":"loadspec-cluster","version":1,"kind":"final","clusterId":"loadspec","agentGroup":"default","senderId":"agent-1","sentAtEpochMs":1,"sessionId":"x","part":5,"parts":2,"data":""}'),
      new TextEncoder().encode('{"protocol":"loadspec-cluster","version":99,"kind":"assign"}'),
      new TextEncoder().encode(JSON.stringify({ protocol: 'loadspec-cluster', version: 1, kind: 'announce', clusterId: 'loadspec', agentGroup: 'default', senderId: 'ghost', sentAtEpochMs: 1, host: 'h', pid: 'not a number', scenarios: [], state: 'idle', sessionId: null })),
    ]
    const timer = setInterval(() => {
      for (const subject of ['loadspec.default.>', 'loadspec.loadspec.default.announce', 'loadspec.loadspec.default.discover', 'loadspec.loadspec.default.agent.agent-1']) {
        for (const payload of garbage) attacker.publish(subject.replace('>', 'session.x'), payload)
      }
    }, 20)
    try {
      const run = await coordinate([counted('work', 'c', Simulation.inject(100, 1, '500ms')).scenario])
      expect(createRunResult(run.result).getScenarioStats('work').ok.request.count).toBe(100)
    } finally {
      clearInterval(timer)
    }
    expect(quietLog.warnings.length).toBeGreaterThan(0)
    expect(quietLog.warnings.length).toBeLessThan(20)
  })
})
