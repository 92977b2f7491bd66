import { describe, expect, it } from 'vitest'
import { clusterSubjects, MemoryBus, MessageEncoder, MessageGate, PROTOCOL_NAME, PROTOCOL_VERSION, subjectToken, type ClusterLog } from '../../src/cluster/index.js'
import { ReportAssembly, parseReportText, splitReportText } from '../../src/cluster/protocol/final-report.js'
import { subjectMatches } from '../../src/cluster/protocol/subjects.js'

function recordingLog(): ClusterLog & { warnings: string[] } {
  const warnings: string[] = []
  return { warnings, info: () => {}, debug: () => {}, warn: (message) => warnings.push(message) }
}

const namespace = { clusterId: 'orders', agentGroup: 'perf' }
const encoder = new MessageEncoder(namespace, 'agent-1')
const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value))

describe('subjects', () => {
  it('are namespaced by cluster id and agent group', () => {
    const subjects = clusterSubjects('orders-cluster', 'perf_agents')
    expect(subjects.discover).toBe('loadspec.orders-cluster.perf_agents.discover')
    expect(subjects.announce).toBe('loadspec.orders-cluster.perf_agents.announce')
    expect(subjects.agent('a-1')).toBe('loadspec.orders-cluster.perf_agents.agent.a-1')
    expect(subjects.session('s-1')).toBe('loadspec.orders-cluster.perf_agents.session.s-1')
  })

  it('sanitize tokens so that dots, wildcards and blanks can neither split nor widen a subject, and never collide', () => {
    expect(subjectToken('a.b')).toBe('a~2Eb')
    expect(subjectToken('*')).toBe('~2A')
    expect(subjectToken('>')).toBe('~3E')
    expect(subjectToken('x y')).toBe('x~20y')
    expect(subjectToken('é')).toBe('~C3~A9')
    expect(subjectToken('a~2Eb')).not.toBe(subjectToken('a.b'))
    expect(() => subjectToken('')).toThrow(/cannot be empty/)
    expect(clusterSubjects('a.b', '>').namespace).toBe('loadspec.a~2Eb.~3E')
  })

  it('match NATS wildcards on the in-memory bus', () => {
    expect(subjectMatches('loadspec.c.g.>', 'loadspec.c.g.agent.a1')).toBe(true)
    expect(subjectMatches('loadspec.c.g.*', 'loadspec.c.g.announce')).toBe(true)
    expect(subjectMatches('loadspec.c.g.*', 'loadspec.c.g.agent.a1')).toBe(false)
    expect(subjectMatches('loadspec.c.g.>', 'loadspec.c.g')).toBe(false)
    expect(subjectMatches('loadspec.c.g.discover', 'loadspec.c.g.discover')).toBe(true)
  })
})

describe('the message gate', () => {
  it('passes a valid message of an expected kind', () => {
    const gate = new MessageGate(namespace, recordingLog(), 'coordinator c')
    const message = gate.open(encoder.encode('ready', { sessionId: 's1', initMs: 12 }), 'subj', ['ready', 'accepted'])
    expect(message).toMatchObject({ kind: 'ready', sessionId: 's1', initMs: 12, senderId: 'agent-1', protocol: PROTOCOL_NAME, version: PROTOCOL_VERSION })
  })

  it('drops every kind of bad payload with one warning per kind of problem, never throwing', () => {
    const log = recordingLog()
    const gate = new MessageGate(namespace, log, 'coordinator c', 10_000)
    const valid = JSON.parse(new TextDecoder().decode(encoder.encode('ready', { sessionId: 's1', initMs: 1 }))) as Record<string, unknown>
    const hostile = [
      new Uint8Array([0xff, 0xfe, 0x00]),
      bytes('{"protocol": "loadspec-cluster", "vers'),
      bytes('[1,2,3]'),
      bytes({ hello: 'world' }),
      bytes({ ...valid, version: PROTOCOL_VERSION + 1 }),
      bytes({ ...valid, clusterId: 'someone-else' }),
      bytes({ ...valid, kind: 'final' }),
      bytes({ ...valid, kind: 'no-such-kind' }),
      bytes({ ...valid, initMs: 'slow' }),
      bytes({ ...valid, initMs: -1 }),
      new Uint8Array(20_000),
    ]
    for (let round = 0; round < 3; round++) {
      for (const payload of hostile) expect(gate.open(payload, 'loadspec.orders.perf.session.s1', ['ready'])).toBeUndefined()
    }
    expect(Object.fromEntries(gate.dropped)).toEqual({
      'not-json': 6,
      'not-loadspec': 6,
      version: 3,
      'foreign-namespace': 3,
      'unexpected-kind': 6,
      invalid: 6,
      oversized: 3,
    })
    // One line per (problem, kind), whatever the number of messages.
    expect(log.warnings).toHaveLength(8)
    expect(log.warnings.join('\n')).toContain(`protocol version ${PROTOCOL_VERSION + 1} from "agent-1"; this node speaks version ${PROTOCOL_VERSION}`)
    expect(log.warnings.join('\n')).toContain('it belongs to ClusterId "someone-else"')
    expect(log.warnings.join('\n')).toContain('fails the "ready" schema')
    expect(log.warnings.every((line) => line.endsWith('(further ones like it are not logged)'))).toBe(true)
  })
})

describe('final report parts', () => {
  const report = {
    stats: [],
    warnings: ['a warning with "quotes", a \\ backslash, ünïcödé and an emoji 🎯'.repeat(30)],
    startedAtEpochMs: 1,
    durationMs: 2,
    timeSeries: { intervalMs: 500, points: [] },
    startDelayMs: 0,
  }

  it('cut a report into parts that each fit the payload limit, and put it back together in any order', () => {
    const text = JSON.stringify(report)
    const parts = splitReportText(text, 200)
    expect(parts.length).toBeGreaterThan(5)
    for (const part of parts) expect(Buffer.byteLength(JSON.stringify(part))).toBeLessThanOrEqual(200)
    expect(parts.join('')).toBe(text)
    const assembly = new ReportAssembly()
    const order = parts.map((_, index) => index).reverse()
    let whole: string | undefined
    for (const index of [...order, 0]) whole = assembly.add(index, parts.length, parts[index] as string) ?? whole
    expect(parseReportText(whole as string)).toEqual(report)
  })

  it('reject a reassembled report that is not valid', () => {
    expect(() => parseReportText('{"stats": 1}')).toThrow(/final stats failed validation/)
    expect(() => parseReportText('{"stats": ')).toThrow(/not valid JSON/)
  })
})

describe('the in-memory bus', () => {
  it('delivers asynchronously in order, honours wildcards, and drops traffic of an offline transport', async () => {
    const bus = new MemoryBus()
    const a = bus.connect('a')
    const b = bus.connect('b')
    const seen: string[] = []
    b.subscribe('x.>', (payload, subject) => seen.push(`${subject}:${new TextDecoder().decode(payload)}`))
    a.publish('x.1', bytes('one'))
    a.publish('x.2', bytes('two'))
    expect(seen).toEqual([])
    await b.flush()
    expect(seen).toEqual(['x.1:one', 'x.2:two'])
    b.setOnline(false)
    a.publish('x.3', bytes('three'))
    await b.flush()
    expect(seen).toHaveLength(2)
    expect(() => a.publish('x.4', new Uint8Array(a.maxPayloadBytes + 1))).toThrow(/more than/)
    await bus.close()
    expect(() => a.publish('x.5', bytes('late'))).toThrow(/closed/)
  })
})
