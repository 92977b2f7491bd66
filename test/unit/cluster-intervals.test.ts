/**
 * Interims as numbered per-interval deltas, over the in-memory bus with a
 * small payload limit: an interval too big for one message is cut into
 * parts, a replayed interval is counted once, a lost one is a gap named on
 * the result, and an agent that goes silent leaves exactly the sum of the
 * intervals that reached the coordinator.
 */
import { describe, expect, it } from 'vitest'
import { Response, Scenario, Simulation, resolveConfig } from '../../src/index.js'
import { ClusterAgent, runCoordinatorSession, type ClusterLog, type MemoryTransport } from '../../src/cluster/index.js'
import { createRunResult } from '../../src/result/result.js'
import { useMemoryCluster } from '../support/memory-cluster.js'
import { kindOf, WrappedTransport } from '../support/wrapped-transport.js'

const quietLog: ClusterLog = { info: () => {}, debug: () => {}, warn: () => {} }
const PAYLOAD_LIMIT_BYTES = 4096

interface InterimPart {
  readonly seq: number
  readonly part: number
  readonly parts: number
  readonly data: string
  readonly bytes: number
}

/** Sends every interim twice (a replay), drops every part of one interval, and goes silent after another. */
class ReplayingTransport extends WrappedTransport {
  readonly passed: InterimPart[] = []
  silent = false
  constructor(
    inner: MemoryTransport,
    private readonly dropSeq: number,
    private readonly silentAfterSeq: number,
  ) {
    super(inner)
  }
  override publish(subject: string, payload: Uint8Array): void {
    if (this.silent) return
    if (kindOf(payload) !== 'interim') return this.inner.publish(subject, payload)
    const message = JSON.parse(new TextDecoder().decode(payload)) as Omit<InterimPart, 'bytes'>
    if (message.seq === this.dropSeq) return
    this.passed.push({ seq: message.seq, part: message.part, parts: message.parts, data: message.data, bytes: payload.byteLength })
    this.inner.publish(subject, payload)
    this.inner.publish(subject, payload)
    if (message.seq === this.silentAfterSeq && message.part === message.parts - 1) this.silent = true
  }
}

const cluster = useMemoryCluster()

/** Every failure has a message of its own, so an interval's error groups outgrow the payload limit. */
const chatty = Scenario.create('chatty', (ctx) => Response.fail('rejected', `order ${ctx.invocationNumber} rejected: ${'x'.repeat(120)}`)).withLoadSimulations(
  Simulation.inject(200, 1, '3s'),
)

describe('interims as per-interval deltas', () => {
  it('cuts big intervals into parts, ignores replays, names a missing interval, and a lost agent counts exactly the intervals received', async () => {
    const transport = new ReplayingTransport(cluster.bus().connect('agent-1', { maxPayloadBytes: PAYLOAD_LIMIT_BYTES }), 2, 5)
    cluster.track(new ClusterAgent({ scenarios: [chatty], transport, clusterId: 'loadspec', agentGroup: 'default', agentId: 'agent-1', log: quietLog }))
    const progress: number[] = []
    const run = await runCoordinatorSession({
      scenarios: [chatty],
      config: resolveConfig({
        argv: [],
        env: {},
        builder: { nodeType: 'Coordinator', enableLocalDevCluster: true, agentsCount: 1, heartbeatIntervalMs: 50, agentLostTimeoutMs: 300, reportingIntervalMs: 100, reportsEnabled: false },
      }),
      transport: cluster.bus().connect('coordinator'),
      log: quietLog,
      interimIntervalMs: 100,
      onProgress: (live) => progress.push(live.scenarios[0]?.fail.count ?? 0),
    })
    const result = createRunResult(run.result)

    expect(transport.passed.every((part) => part.bytes <= PAYLOAD_LIMIT_BYTES)).toBe(true)
    expect(transport.passed.some((part) => part.parts > 1)).toBe(true)
    const received = new Map<number, string[]>()
    for (const part of transport.passed) {
      const parts = received.get(part.seq) ?? []
      parts[part.part] = part.data
      received.set(part.seq, parts)
    }
    expect([...received.keys()]).toEqual([0, 1, 3, 4, 5])
    const failuresIn = (data: string[]): number => (JSON.parse(data.join('')) as { scenarios: { fail: { count: number } }[] }).scenarios[0]?.fail.count ?? 0
    const requestsReceived = [...received.values()].reduce((sum, data) => sum + failuresIn(data), 0)

    expect(result.incomplete).toBe(true)
    expect(result.getScenarioStats('chatty').fail.request.count).toBe(requestsReceived)
    expect(result.timeSeries.map((point) => point.index)).toEqual([0, 1, 3, 4, 5])
    expect(result.warnings).toContain('agent agent-1: 1 interval missing (2): its figures lack them')
    // Replays are not counted twice in live progress either.
    expect(Math.max(...progress)).toBe(requestsReceived)
  })
})
