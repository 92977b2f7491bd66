/**
 * Well-formed but spoofed messages of every kind over a real nats-server,
 * while a coordinator (this process) and two agent processes run a session:
 * every command kind an agent takes (reserve, release, assign, start, stop,
 * cancel, final-ack, heartbeat, id-conflict) and every kind a coordinator
 * takes (reserved, busy, accepted, ready, heartbeat, interim, final, error),
 * each with a wrong session id, from a wrong sender, or from the right agent
 * id but another process; the agents' own session messages replayed
 * verbatim (interims with sequence numbers already seen, accepted,
 * heartbeats, final parts); and arrays at and past their bounds. They pass
 * every schema (or fail it on purpose, for the bounds), so the state
 * machines see them. The run completes with exact counts, nothing crashes,
 * and no node logs the same line twice.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node'
import { beforeAll, expect, it, vi } from 'vitest'
import { Simulation } from '../../src/index.js'
import { PROTOCOL_NAME, PROTOCOL_VERSION } from '../../src/cluster/index.js'
import { agentIdOf, type NodeProcess } from '../support/cluster-processes.js'
import { completedSessions, startFaultAgent, steadyCoordinator, useFaultCluster } from '../support/faults.js'

const CLUSTER = 'faults-fuzz-kinds'
const GROUP = 'g'
const NAMESPACE = `loadspec.${CLUSTER}.${GROUP}`
const LABELS = ['kinds-a', 'kinds-b'] as const
const ITERATIONS_PER_AGENT = 500

const file = useFaultCluster(CLUSTER, GROUP)
const cluster = file.cluster
let agents: NodeProcess[] = []
let agentIds: string[] = []

beforeAll(async () => {
  agents = LABELS.map((label) => file.track(startFaultAgent(cluster(), label)))
  agentIds = await Promise.all(agents.map((agent) => agentIdOf(agent)))
})

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value))

function message(kind: string, sender: { id: string; instance: string }, body: Record<string, unknown>): Record<string, unknown> {
  return { protocol: PROTOCOL_NAME, version: PROTOCOL_VERSION, clusterId: CLUSTER, agentGroup: GROUP, senderId: sender.id, senderInstanceId: sender.instance, sentAtEpochMs: Date.now(), kind, ...body }
}

const FUZZER = { id: 'fuzzer', instance: 'fuzzer-1' }
const names = (count: number): string[] => Array.from({ length: count }, (_, index) => `scenario-${index}`)
const holder = { coordinatorId: 'fuzzer', host: 'h', pid: 1, sessionId: 'spoof-session', state: 'serving' }

/** Every command kind an agent takes, well formed, for session `sessionId` from `sender`. */
function agentCommands(agentId: string, sessionId: string, sender: { id: string; instance: string }): Record<string, unknown>[] {
  const process = { coordinatorHost: 'h', coordinatorPid: 1 }
  const settings = { loadSimulations: [{ kind: 'keepConstant', copies: 1, durationMs: 1000 }], warmUpMs: 0, iterationTimeoutMs: 1000, gracefulStopMs: 0, maxConcurrency: 1, weight: 1 }
  const assign = {
    sessionId,
    agentId,
    agentInstanceId: 'another-process',
    exchange: 1,
    ...process,
    partition: { number: 0, count: 1 },
    scenarios: [{ name: 'steady', settings }],
    seriesIntervalMs: 500,
    heartbeatIntervalMs: 1000,
    coordinatorLostTimeoutMs: 5000,
    finalAckTimeoutMs: 5000,
  }
  return [
    message('reserve', sender, { sessionId, agentId, agentInstanceId: 'another-process', attempt: 1, leaseMs: 3000, ...process }),
    message('release', sender, { sessionId }),
    message('assign', sender, assign),
    message('start', sender, { sessionId, startAtEpochMs: Date.now() }),
    message('stop', sender, { sessionId, reason: 'spoofed' }),
    message('cancel', sender, { sessionId, reason: 'spoofed' }),
    message('final-ack', sender, { sessionId }),
    message('heartbeat', sender, { sessionId, phase: 'running' }),
    message('id-conflict', sender, { agentId, keepInstanceId: 'another-process', instances: [0, 1].map((n) => ({ instanceId: `ghost-${n}`, host: 'h', pid: n, startedAtEpochMs: 1 })) }),
  ]
}

/** Arrays at their bounds (accepted) and past them (refused by the schema), for agents and for the coordinator. */
function hugeArrays(agentId: string, sessionId: string): { readonly toAgent: Record<string, unknown>[]; readonly toCoordinator: Record<string, unknown>[]; readonly announces: Record<string, unknown>[] } {
  const instances = (count: number) => Array.from({ length: count }, (_, n) => ({ instanceId: `ghost-${n}`, host: 'h', pid: n, startedAtEpochMs: 1 }))
  const announce = (count: number) => message('announce', FUZZER, { host: 'h', pid: 1, scenarios: names(count), state: 'busy', sessionId: 'spoof-session', holder, startedAtEpochMs: 1 })
  return {
    toAgent: [
      message('assign', FUZZER, { ...agentCommands(agentId, sessionId, FUZZER)[2], kind: 'assign', scenarios: Array.from({ length: 10_001 }, () => ({ name: 's' })) }),
      message('id-conflict', FUZZER, { agentId, keepInstanceId: 'x', instances: instances(64) }),
      message('id-conflict', FUZZER, { agentId, keepInstanceId: 'x', instances: instances(65) }),
    ],
    toCoordinator: [message('error', FUZZER, { sessionId, code: 'run-failed', message: 'too many', scenarios: names(10_001) })],
    announces: [announce(10_000), announce(10_001)],
  }
}

/** Every kind a coordinator takes, well formed, for session `sessionId` from `sender`. */
function coordinatorMessages(sessionId: string, sender: { id: string; instance: string }): Record<string, unknown>[] {
  const point = JSON.stringify({ index: 0, startMs: 0, durationMs: 500, scenarios: [] })
  return [
    message('reserved', sender, { sessionId, attempt: 1 }),
    message('busy', sender, { sessionId, attempt: 1, holder, message: 'spoofed' }),
    message('accepted', sender, { sessionId, exchange: 1 }),
    message('ready', sender, { sessionId, initMs: 1 }),
    message('heartbeat', sender, { sessionId, phase: 'running' }),
    message('interim', sender, { sessionId, seq: 0, part: 0, parts: 1, data: point }),
    message('final', sender, { sessionId, part: 0, parts: 2, data: '{"stats":' }),
    message('error', sender, { sessionId, code: 'run-failed', message: 'spoofed', scenarios: ['steady'] }),
  ]
}

interface Spoofer {
  readonly sent: number
  readonly replayed: number
  /** The kinds of the agents' messages replayed. */
  readonly replayedKinds: ReadonlySet<string>
  stop(): Promise<void>
}

/** Every 25 ms a round of spoofed messages on every subject, plus every agent session message seen so far, replayed. */
async function startSpoofer(sessionSubject: string): Promise<Spoofer> {
  const connection: NatsConnection = await connect({ servers: cluster().natsUrl, name: 'spoofer', noEcho: true })
  const sessionId = sessionSubject.slice(sessionSubject.lastIndexOf('.') + 1)
  const seen: { kind: string; payload: Uint8Array }[] = []
  const replayedKinds = new Set<string>()
  connection.subscribe(sessionSubject, {
    callback: (_error, received) => {
      const value = JSON.parse(new TextDecoder().decode(received.data)) as { kind: string }
      if (seen.length < 2000) seen.push({ kind: value.kind, payload: received.data })
    },
  })
  let sent = 0
  let replayed = 0
  const publish = (subject: string, payload: Uint8Array): void => {
    connection.publish(subject, payload)
    sent++
  }
  const round = (): void => {
    for (const agentId of agentIds) {
      const subject = `${NAMESPACE}.agent.${agentId}`
      for (const command of [...agentCommands(agentId, 'spoof-session', FUZZER), ...agentCommands(agentId, sessionId, FUZZER)]) publish(subject, encode(command))
      // The right agent id, another process: not the session's.
      const namesake = { id: agentId, instance: 'namesake' }
      for (const spoofed of coordinatorMessages(sessionId, namesake)) publish(sessionSubject, encode(spoofed))
    }
    for (const spoofed of [...coordinatorMessages('spoof-session', FUZZER), ...coordinatorMessages(sessionId, FUZZER)]) publish(sessionSubject, encode(spoofed))
    // Replays: the agents' own messages, sequence numbers and all, again.
    for (const { kind, payload } of seen.slice(-40)) {
      connection.publish(sessionSubject, payload)
      replayedKinds.add(kind)
      replayed++
    }
  }
  const flood = (): void => {
    for (const agentId of agentIds) {
      const huge = hugeArrays(agentId, sessionId)
      for (const command of huge.toAgent) publish(`${NAMESPACE}.agent.${agentId}`, encode(command))
      for (const spoofed of huge.toCoordinator) publish(sessionSubject, encode(spoofed))
      for (const announce of huge.announces) publish(`${NAMESPACE}.announce`, encode(announce))
    }
  }
  const timers = [setInterval(round, 25), setInterval(flood, 250)]
  flood()
  return {
    get sent() {
      return sent
    },
    get replayed() {
      return replayed
    },
    replayedKinds,
    stop: async () => {
      for (const timer of timers) clearInterval(timer)
      await connection.flush()
      await connection.close()
    },
  }
}

/** Log lines that say a message was dropped or ignored, each with how often it was printed. */
function repeatedLines(lines: readonly string[]): string[] {
  const counts = new Map<string, number>()
  for (const line of lines) if (/dropped a message|ignored "/.test(line)) counts.set(line, (counts.get(line) ?? 0) + 1)
  return [...counts].filter(([, count]) => count > 1).map(([line, count]) => `${count}× ${line}`)
}

it('completes with exact counts under spoofed messages of every kind, replays and arrays past their bounds; no crash, no line logged twice', async () => {
  const coordinatorLines: string[] = []
  const warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void coordinatorLines.push(args.map(String).join(' ')))
  const info = vi.spyOn(console, 'info').mockImplementation(() => {})
  const listener = await connect({ servers: cluster().natsUrl, name: 'session finder' })
  let spoofing: Promise<Spoofer> | undefined
  listener.subscribe(`${NAMESPACE}.session.*`, {
    max: 1,
    callback: (_error, found) => {
      spoofing = startSpoofer(found.subject)
    },
  })
  await listener.flush()
  let spoofer: Spoofer | undefined
  try {
    // Intervals of 200 ms: several interims to replay.
    const result = await steadyCoordinator(cluster(), Simulation.iterationsForConstant(2, ITERATIONS_PER_AGENT), 10_000)
      .withConfig({ reportingIntervalMs: 200 })
      .run({ quiet: true })
    spoofer = await spoofing
    await spoofer?.stop()
    await Promise.all(agents.map((agent) => agent.waitForCount(/final stats acknowledged/, 1)))
    const replayedKinds = [...(spoofer?.replayedKinds ?? [])].sort()
    console.log(`[faults] spoofed kinds: ${spoofer?.sent ?? 0} spoofed messages and ${spoofer?.replayed ?? 0} replays (${replayedKinds.join(', ')}) during a ${Math.round(result.durationMs)} ms run`)
    expect(replayedKinds).toEqual(expect.arrayContaining(['accepted', 'heartbeat', 'interim', 'ready']))

    const stats = result.getScenarioStats('steady')
    expect(result.incomplete).toBe(false)
    expect(stats.ok.request.count).toBe(2 * ITERATIONS_PER_AGENT)
    expect(file.target().requestCount).toBe(2 * ITERATIONS_PER_AGENT)
    for (const agent of agents) expect(completedSessions(agent.output(), 'steady').at(-1)?.requests).toBe(ITERATIONS_PER_AGENT)
    // As in faults-fuzz.test.ts: a flooded node may start a little late or see its generator saturated.
    expect(result.warnings.filter((warning) => !/the common start|^load generator saturated on node /.test(warning))).toEqual([])
    expect(spoofer?.replayed ?? 0).toBeGreaterThan(100)

    // What the nodes said about it: each kind of problem once.
    expect(repeatedLines(coordinatorLines)).toEqual([])
    expect(coordinatorLines.join('\n')).toMatch(/ignored "\w+" naming session spoof-session/)
    expect(coordinatorLines.join('\n')).toMatch(/it fails the "announce" schema/)
    expect(coordinatorLines.join('\n')).toMatch(/it fails the "error" schema/)
    for (const agent of agents) {
      const lines = agent.output().split('\n')
      expect(repeatedLines(lines)).toEqual([])
      expect(agent.output()).toMatch(/ignored "\w+" for session \S+ from fuzzer: the session belongs to/)
      expect(agent.output()).toMatch(/ignored "(reserve|assign)" for another process with the same agent id/)
      expect(agent.output()).toMatch(/it fails the "(assign|id-conflict)" schema/)
      expect(agent.output()).not.toMatch(/Unhandled|uncaught|^\s+at .+:\d+:\d+\)?$/im)
      expect(agent.output()).not.toMatch(/retir|leaves the cluster/)
    }
  } finally {
    warn.mockRestore()
    info.mockRestore()
    await spoofer?.stop().catch(() => {})
    await listener.close()
  }
}, 60_000)
