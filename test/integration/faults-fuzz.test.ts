/**
 * Hostile and foreign messages over a real nats-server.
 * While a coordinator (this process) and two agent processes run a session,
 * a fuzzer publishes onto every subject of the cluster's namespace: random
 * bytes, truncated JSON, JSON that is not loadspec's, valid messages with
 * wrong types, messages of another ClusterId, of an old protocol version, of
 * an unknown kind, and 9 MB payloads (the server here allows 16 MB, more
 * than loadspec accepts). The run completes with exact counts, every node
 * logs each kind of problem once with why it dropped it, and nothing
 * crashes.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect, type NatsConnection } from '@nats-io/transport-node'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { Simulation } from '../../src/index.js'
import { PROTOCOL_NAME, PROTOCOL_VERSION } from '../../src/cluster/index.js'
import { agentIdOf, type NodeProcess } from '../support/cluster-processes.js'
import { completedSessions, startCountingTarget, startFaultAgent, steadyCoordinator, until, type CountingTarget } from '../support/faults.js'
import { startNatsServer, type NatsServerHandle } from '../support/nats-server.js'

const CLUSTER = 'faults-fuzz'
const GROUP = 'g'
const NAMESPACE = `loadspec.${CLUSTER}.${GROUP}`
const LABELS = ['agent-a', 'agent-b'] as const
const ITERATIONS_PER_AGENT = 500
const OVERSIZED_BYTES = 9 * 1024 * 1024

let nats: NatsServerHandle
let target: CountingTarget
let agents: NodeProcess[] = []
let agentIds: string[] = []
const folder = mkdtempSync(join(tmpdir(), 'loadspec-faults-fuzz-'))

beforeAll(async () => {
  // A broker that carries up to 16 MB, so oversized payloads reach loadspec's own limit (8 MB).
  const config = join(folder, 'nats.conf')
  writeFileSync(config, 'max_payload: 16777216\n')
  ;[nats, target] = await Promise.all([startNatsServer(['-c', config]), startCountingTarget(3)])
  agents = LABELS.map((label) =>
    startFaultAgent(cluster(), label),
  )
  agentIds = await Promise.all(agents.map((agent) => agentIdOf(agent)))
})

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop('SIGKILL')))
  await Promise.all([nats?.stop(), target?.close()])
  rmSync(folder, { recursive: true, force: true })
})

/** A well-formed message of `kind` from "fuzzer" on this namespace, to be spoiled. */
function template(kind: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { protocol: PROTOCOL_NAME, version: PROTOCOL_VERSION, clusterId: CLUSTER, agentGroup: GROUP, senderId: 'fuzzer', senderInstanceId: 'fuzzer-1', sentAtEpochMs: Date.now(), kind, ...extra }
}

/** Set once the broker and the target are up. */
function cluster() {
  return { natsUrl: nats.url, clusterId: CLUSTER, agentGroup: GROUP, targetUrl: target.url }
}

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value))

/**
 * The hostile payloads for one subject whose receiver expects messages like
 * `valid` (same kind, right types). Each names the drop reason it must cause.
 */
function hostilePayloads(valid: Record<string, unknown>, wrongTypes: Record<string, unknown>): { reason: string; payload: Uint8Array }[] {
  const text = JSON.stringify(valid)
  return [
    // 0xff never occurs in UTF-8.
    { reason: 'not-json', payload: new Uint8Array([0xff, ...randomBytes(1 + Math.floor(Math.random() * 256))]) },
    { reason: 'not-json', payload: encode(text.slice(0, Math.floor(text.length / 2))) },
    { reason: 'not-loadspec', payload: encode({ hello: 'world' }) },
    { reason: 'not-loadspec', payload: encode(`${'['.repeat(5000)}${']'.repeat(5000)}`) },
    { reason: 'invalid', payload: encode({ ...valid, ...wrongTypes }) },
    { reason: 'foreign-namespace', payload: encode({ ...valid, clusterId: 'someone-else' }) },
    { reason: 'version', payload: encode({ ...valid, version: PROTOCOL_VERSION - 1 }) },
    { reason: 'unexpected-kind', payload: encode({ ...valid, kind: 'self-destruct' }) },
  ]
}

interface Fuzzer {
  readonly sent: Map<string, number>
  stop(): Promise<void>
}

/** Publishes a round of hostile payloads every 25 ms on every subject of the session, and 9 MB ones every second. */
async function startFuzzer(sessionSubject: string): Promise<Fuzzer> {
  // noEcho: the fuzzer does not receive its own garbage.
  const connection: NatsConnection = await connect({ servers: nats.url, name: 'fuzzer', noEcho: true })
  const sessionId = sessionSubject.slice(sessionSubject.lastIndexOf('.') + 1)
  const sent = new Map<string, number>()
  const oversized = encode(`{"protocol":"${PROTOCOL_NAME}","padding":"${'x'.repeat(OVERSIZED_BYTES)}"}`)
  const publish = (subject: string, reason: string, payload: Uint8Array): void => {
    connection.publish(subject, payload)
    sent.set(reason, (sent.get(reason) ?? 0) + 1)
  }
  const round = (): void => {
    const targets: [string, Record<string, unknown>, Record<string, unknown>][] = [
      // Agents listen here ...
      [`${NAMESPACE}.discover`, template('discover'), { senderId: { not: 'a string' } }],
      ...agentIds.map((id): [string, Record<string, unknown>, Record<string, unknown>] => [
        `${NAMESPACE}.agent.${id}`,
        template('heartbeat', { sessionId, phase: 'running' }),
        { sentAtEpochMs: 'yesterday', phase: 42 },
      ]),
      // ... and the coordinator here.
      [`${NAMESPACE}.announce`, template('announce', { host: 'h', pid: 1, scenarios: ['steady'], state: 'idle', sessionId: null, holder: null, startedAtEpochMs: 1 }), { pid: 'one', scenarios: 'all of them' }],
      [sessionSubject, template('heartbeat', { sessionId, phase: 'running' }), { sessionId: 7, phase: ['running'] }],
    ]
    for (const [subject, valid, wrongTypes] of targets) {
      for (const { reason, payload } of hostilePayloads(valid, wrongTypes)) publish(subject, reason, payload)
    }
  }
  const flood = (): void => {
    publish(`${NAMESPACE}.discover`, 'oversized', oversized)
    publish(`${NAMESPACE}.announce`, 'oversized', oversized)
  }
  const timers = [setInterval(round, 25), setInterval(flood, 1000)]
  round()
  flood()
  return {
    sent,
    stop: async () => {
      for (const timer of timers) clearInterval(timer)
      await connection.flush()
      await connection.close()
    },
  }
}

/** "<receiver> dropped a message on <subject>: <why>" lines, classified by the reason the why names. */
function dropReasons(lines: readonly string[], receiver: RegExp): string[] {
  const reasons: [string, RegExp][] = [
    ['oversized', /bytes is more than the \d+ accepted/],
    ['not-json', /not UTF-8 JSON/],
    ['not-loadspec', /not a loadspec-cluster message/],
    ['version', new RegExp(`protocol version \\d+ from "fuzzer"; this node speaks version ${PROTOCOL_VERSION}`)],
    ['foreign-namespace', /it belongs to ClusterId "someone-else"/],
    ['unexpected-kind', /kind "self-destruct" is not expected here/],
    ['invalid', /it fails the "\w+" schema/],
  ]
  return lines
    .filter((line) => receiver.test(line) && line.includes('dropped a message on'))
    .map((line) => reasons.find(([, pattern]) => pattern.test(line))?.[0] ?? `unclassified: ${line}`)
}

it('completes with exact counts while the namespace is flooded with hostile payloads; each kind is logged once with why; nothing crashes', async () => {
  const coordinatorWarnings: string[] = []
  const warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void coordinatorWarnings.push(args.map(String).join(' ')))
  const info = vi.spyOn(console, 'info').mockImplementation(() => {})
  // Learns the session subject from the first message on it, then starts the fuzzer.
  const listener = await connect({ servers: nats.url, name: 'session finder' })
  let fuzzer: Fuzzer | undefined
  let fuzzerStarting: Promise<Fuzzer> | undefined
  listener.subscribe(`${NAMESPACE}.session.*`, {
    max: 1,
    callback: (_error, message) => {
      fuzzerStarting = startFuzzer(message.subject)
    },
  })
  await listener.flush()
  try {
    const result = await steadyCoordinator(cluster(), Simulation.iterationsForConstant(2, ITERATIONS_PER_AGENT), 10_000).run({ quiet: true })
    fuzzer = await fuzzerStarting
    await fuzzer?.stop()
    await Promise.all(agents.map((agent) => agent.waitForCount(/final stats acknowledged/, 1)))

    // Exact counts: merged = each agent's own total = what the target received.
    const stats = result.getScenarioStats('steady')
    expect(result.incomplete).toBe(false)
    // A node busy dropping garbage may start a little late, and its generator may be saturated (warnings of their own,
    // both true of a flooded node); nothing else is worth one.
    const expected = /started its load (at least )?\d+ ms (after|before) the common start|^load generator saturated on node /
    expect(result.warnings.filter((warning) => !expected.test(warning))).toEqual([])
    expect(stats.ok.request.count).toBe(2 * ITERATIONS_PER_AGENT)
    expect(stats.fail.request.count).toBe(0)
    expect(target.requestCount).toBe(2 * ITERATIONS_PER_AGENT)
    for (const agent of agents) expect(completedSessions(agent.output(), 'steady').at(-1)?.requests).toBe(ITERATIONS_PER_AGENT)

    const sent = fuzzer?.sent ?? new Map<string, number>()
    const total = [...sent.values()].reduce((a, b) => a + b, 0)
    console.log(`[faults] fuzz: run took ${Math.round(result.durationMs)} ms; ${total} hostile payloads published during it (${[...sent].map(([reason, count]) => `${reason} ${count}`).join(', ')})`)
    expect(sent.get('oversized')).toBeGreaterThanOrEqual(2)
    expect(sent.get('invalid')).toBeGreaterThan(50)

    // Each node logged each kind once: per reason, one line per message kind it arrived as
    // (payloads that are not loadspec's have no kind). Agents see "discover" and "heartbeat" messages,
    // the coordinator "announce" and "heartbeat" ones.
    const expectedPerNode = { 'not-json': 1, 'not-loadspec': 1, oversized: 1, 'unexpected-kind': 1, invalid: 2, 'foreign-namespace': 2, version: 2 }
    const tally = (reasons: readonly string[]): Record<string, number> => reasons.reduce<Record<string, number>>((counts, reason) => ({ ...counts, [reason]: (counts[reason] ?? 0) + 1 }), {})
    expect(tally(dropReasons(coordinatorWarnings, /coordinator \S+ dropped/)), coordinatorWarnings.join('\n')).toEqual(expectedPerNode)
    for (const [index, agent] of agents.entries()) {
      const receiver = new RegExp(`agent ${agentIds[index]} dropped`)
      const expectedLines = Object.values(expectedPerNode).reduce((a, b) => a + b, 0)
      // An agent's output reaches this process through a pipe: let the last lines arrive.
      await until(() => dropReasons(agent.output().split('\n'), receiver).length >= expectedLines, 3000, 'every drop line of the agent').catch(() => {})
      const lines = agent.output().split('\n')
      expect(tally(dropReasons(lines, receiver)), agent.output()).toEqual(expectedPerNode)
      expect(lines.filter((line) => line.includes('dropped a message on')).every((line) => line.endsWith('(further ones like it are not logged)'))).toBe(true)
    }
    // Nothing crashed: both agent processes still run and are idle again.
    // (No stack trace, no unhandled rejection printed.)
    for (const agent of agents) expect(agent.output()).not.toMatch(/Unhandled|uncaught|^\s+at .+:\d+:\d+\)?$/im)
    expect(await Promise.race([Promise.all(agents.map((agent) => agent.exited)).then(() => 'exited'), new Promise((resolve) => setTimeout(() => resolve('running'), 200))])).toBe('running')
  } finally {
    warn.mockRestore()
    info.mockRestore()
    await fuzzer?.stop().catch(() => {})
    await listener.close()
  }
})
