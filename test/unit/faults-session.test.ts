/**
 * Fault handling of the coordinator state machine over the in-memory bus
 * (the same code as over NATS; a transport taken offline acts out a broker
 * outage as that node sees it): an agent that comes back with the same id
 * mid-run is lost at once rather than after AgentLostTimeoutMs, the
 * coordinator's own outage counts against no agent, and an outage past
 * ClusterCommandTimeoutMs fails the run as "broker down" with what was
 * measured.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Response, Scenario, Simulation, resolveConfig, type LoadspecConfigInput } from '../../src/index.js'
import {
  ClusterAgent,
  ClusterError,
  MemoryBus,
  MessageEncoder,
  clusterSubjects,
  runCoordinatorSession,
  waitForAgents,
  type ClusterLog,
  type MemoryTransport,
} from '../../src/cluster/index.js'
import { createRunResult } from '../../src/result/result.js'

const log: ClusterLog & { warnings: string[]; infos: string[] } = {
  warnings: [],
  infos: [],
  info: (message) => void log.infos.push(message),
  debug: () => {},
  warn: (message) => void log.warnings.push(message),
}

let bus = new MemoryBus()
const agents: ClusterAgent[] = []

afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.stop()))
  await bus.close()
  bus = new MemoryBus()
  log.warnings.length = 0
  log.infos.length = 0
})

function config(overrides: LoadspecConfigInput = {}) {
  return resolveConfig({
    argv: [],
    env: {},
    builder: {
      nodeType: 'Coordinator',
      enableLocalDevCluster: true,
      agentsCount: 1,
      clusterCommandTimeoutMs: 3000,
      heartbeatIntervalMs: 50,
      agentLostTimeoutMs: 400,
      reportsEnabled: false,
      ...overrides,
    },
  })
}

const work = (simulation = Simulation.keepConstant(1, '1500ms')) =>
  Scenario.create('work', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2))
    return Response.ok()
  }).withLoadSimulations(simulation)

function startAgent(agentId: string): { agent: ClusterAgent; transport: MemoryTransport } {
  const transport = bus.connect(agentId)
  const agent = new ClusterAgent({ scenarios: [work()], transport, clusterId: 'loadspec', agentGroup: 'default', agentId, log })
  agent.start()
  agents.push(agent)
  return { agent, transport }
}

describe('coordinator faults over the in-memory bus', () => {
  it('loses an agent restarted mid-run with the same id within two heartbeats of the new process announcing itself, not after AgentLostTimeoutMs', async () => {
    const first = startAgent('agent-1')
    const coordinatorTransport = bus.connect('coordinator')
    setTimeout(() => {
      // The old process vanishes; a new one with the same --agent-id starts and announces itself idle.
      first.transport.setOnline(false)
      startAgent('agent-1')
    }, 400)
    const started = performance.now()
    const run = await runCoordinatorSession({ scenarios: [work()], config: config({ agentLostTimeoutMs: 1500 }), transport: coordinatorTransport, log })
    const elapsedMs = performance.now() - started
    const result = createRunResult(run.result)
    // Waiting for silence would take 400 + 1500 ms; the restart is known two heartbeats (2 × 50 ms) after the new announce.
    expect(elapsedMs).toBeLessThan(1200)
    expect(result.incomplete).toBe(true)
    expect(result.nodes.find((node) => node.nodeId === 'agent-1')?.lost).toBe(true)
    expect(result.warnings.join('\n')).toMatch(
      /agent agent-1 \(host .*\) left the session: another process \(host \S+, pid \d+\) announced its agent id and this one has been silent since \(it restarted\)/,
    )
  })

  it('rides out a short outage of its own connection: the run completes, with the outage as a warning', async () => {
    startAgent('agent-1')
    const coordinatorTransport = bus.connect('coordinator')
    // Shorter than AgentLostTimeoutMs (400 ms) plus the heartbeat gaps on both sides of it.
    setTimeout(() => coordinatorTransport.setOnline(false), 500)
    setTimeout(() => coordinatorTransport.setOnline(true), 500 + 250)
    const run = await runCoordinatorSession({ scenarios: [work()], config: config({ reportingIntervalMs: 100 }), transport: coordinatorTransport, log, interimIntervalMs: 100 })
    const result = createRunResult(run.result)
    expect(result.incomplete).toBe(false)
    expect(result.getScenarioStats('work').ok.request.count).toBeGreaterThan(100)
    // The intervals the agent sent while the coordinator was away are gaps in the live progress, said so by number.
    const [gaps, others] = partition(result.warnings, (warning) => / intervals? missing /.test(warning))
    expect(gaps).toEqual([expect.stringMatching(/^agent agent-1: [1-4] intervals? missing \([\d, ]+\) from the live progress \(its final stats hold them\)$/)])
    expect(others).toEqual([expect.stringMatching(/^coordinator \S+ was disconnected from in-memory bus \(coordinator\) for 0\.[23] s \([\d.]+ s after load started\); it reconnected and the session went on/)])
    expect(log.warnings.join('\n')).not.toMatch(/stopped answering/)
  })

  it('fails as "broker down or unreachable" once offline for AgentLostTimeoutMs after the start (shorter than ClusterCommandTimeoutMs), with what was measured', async () => {
    startAgent('agent-1')
    const coordinatorTransport = bus.connect('coordinator')
    setTimeout(() => coordinatorTransport.setOnline(false), 500)
    const error = await runCoordinatorSession({
      scenarios: [work(Simulation.keepConstant(1, '10s'))],
      config: config({ clusterCommandTimeoutMs: 3000, reportingIntervalMs: 100 }),
      transport: coordinatorTransport,
      log,
      interimIntervalMs: 100,
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ClusterError)
    const clusterError = error as ClusterError
    expect(clusterError.code).toBe('broker-unreachable')
    // Counted from the agent's last word; by then the agent has stopped its load for want of the coordinator.
    expect(clusterError.message).toMatch(/^The NATS broker is down or unreachable: coordinator \S+ has been disconnected from in-memory bus \(coordinator\) for 0\.4 s, longer than AgentLostTimeoutMs \(400 ms\): every agent has stopped its load by now/)
    expect(clusterError.agents.map((agent) => agent.agentId)).toEqual(['agent-1'])
    expect(clusterError.result?.incomplete).toBe(true)
    expect(clusterError.result?.getScenarioStats('work').ok.request.count).toBeGreaterThan(0)
    expect(clusterError.result?.nodes.find((node) => node.nodeId === 'agent-1')?.lost).toBe(true)
    // The agent was silent for longer than AgentLostTimeoutMs (400 ms) too, but that is the outage's doing, not the agent's.
    expect(log.warnings.join('\n')).not.toMatch(/stopped answering/)
  })

  it('fails as "broker down" also before load starts, when agents cannot be reached in time', async () => {
    const coordinatorTransport = bus.connect('coordinator')
    setTimeout(() => coordinatorTransport.setOnline(false), 20)
    const error = (await runCoordinatorSession({ scenarios: [work()], config: config({ clusterCommandTimeoutMs: 300 }), transport: coordinatorTransport, log }).catch(
      (caught: unknown) => caught,
    )) as ClusterError
    expect(error.code).toBe('broker-unreachable')
    expect(error.message).toMatch(/No load had started\. Check that nats-server is running and reachable from every node\.$/)
    expect(error.result).toBeUndefined()
  })

  it('warns when two agent processes announce the same id (each would receive the other\'s commands)', async () => {
    startAgent('agent-1')
    // Another process (other pid) that was started with the same --agent-id.
    const twin = bus.connect('twin')
    const encoder = new MessageEncoder({ clusterId: 'loadspec', agentGroup: 'default' }, 'agent-1')
    const subjects = clusterSubjects('loadspec', 'default')
    twin.subscribe(subjects.discover, () => {
      twin.publish(subjects.announce, encoder.encode('announce', { host: 'other-host', pid: 4242, scenarios: ['work'], state: 'idle', sessionId: null, holder: null, startedAtEpochMs: Date.now() + 1000 }))
    })
    // A coordinator over NATS as far as the config goes (the URL is never dialled: the bus is given).
    const coordinatorConfig = config({ agentsCount: 2, clusterCommandTimeoutMs: 300, enableLocalDevCluster: false, natsServerUrl: 'nats://127.0.0.1:1' })
    await waitForAgents(coordinatorConfig, { transport: bus.connect('checker'), log }).catch(() => [])
    expect(log.warnings.join('\n')).toMatch(
      /2 agent processes announce the agent id agent-1 \(host \S+, pid \d+; host other-host, pid 4242\): the oldest \(host \S+, pid \d+\) keeps it and the other will be told by the next session to leave the cluster/,
    )
  })

  it('keeps the older of two processes started with one agent id: only the one assigned runs load, and the younger leaves naming the older', async () => {
    const calls = { older: 0, younger: 0 }
    const counting = (who: keyof typeof calls) =>
      Scenario.create('work', () => {
        calls[who]++
        return Response.ok()
      }).withLoadSimulations(Simulation.inject(100, 1, '500ms'))
    const older = new ClusterAgent({ scenarios: [counting('older')], transport: bus.connect('older'), clusterId: 'loadspec', agentGroup: 'default', agentId: 'dup', log })
    older.start()
    agents.push(older)
    await new Promise((resolve) => setTimeout(resolve, 5))
    const younger = new ClusterAgent({ scenarios: [counting('younger')], transport: bus.connect('younger'), clusterId: 'loadspec', agentGroup: 'default', agentId: 'dup', log })
    younger.start()
    agents.push(younger)

    const first = createRunResult((await runCoordinatorSession({ scenarios: [counting('older')], config: config(), transport: bus.connect('coordinator'), log })).result)
    // Exactly what ran, wherever it ran: one process was assigned, the other ran nothing.
    expect(first.getScenarioStats('work').ok.request.count).toBe(calls.older + calls.younger)
    expect(first.getScenarioStats('work').ok.request.count).toBe(50)
    expect(Math.min(calls.older, calls.younger)).toBe(0)
    expect(first.warnings.join('\n')).toMatch(/2 agent processes announce the agent id dup .*the oldest \(host \S+, pid \d+\) keeps it and the other was told to leave the cluster/)

    const retirement = await younger.retired
    expect(retirement.keeper.instanceId).toBe(older.instanceId)
    expect(retirement.message).toMatch(new RegExp(`another agent process announces the agent id dup: dup \\(host \\S+, pid ${process.pid}\\), started .*; coordinator \\S+ keeps that one, so this process \\(host \\S+, pid ${process.pid}\\) leaves the cluster`))
    expect(log.warnings.join('\n')).toContain(retirement.message)

    // The next session runs on the older process, the only one left.
    const before = { ...calls }
    const second = createRunResult((await runCoordinatorSession({ scenarios: [counting('older')], config: config(), transport: bus.connect('coordinator-2'), log })).result)
    expect(second.getScenarioStats('work').ok.request.count).toBe(50)
    expect(calls.older - before.older).toBe(50)
    expect(calls.younger).toBe(before.younger)
    expect(second.warnings).toEqual([])
  })
})

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))]
}
