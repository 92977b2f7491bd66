/**
 * Stats bigger than one NATS message (default nats-server: 1 MB max_payload),
 * over real processes. An agent runs a scenario with 8 steps whose every
 * failure has a message and status code of its own, so its cumulative stats
 * pass 1 MB within seconds (a cumulative interim would no longer fit in a
 * message and would be dropped). Interims are per-interval deltas: live
 * progress keeps including the agent, the bytes it sends per interval stay
 * flat, and once it is SIGKILLed the partial result holds exactly the
 * intervals it sent (decoded here, independently, from the wire) and agrees
 * with what the target received from it by then.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node'
import { describe, expect, it } from 'vitest'
import { Runner, Simulation } from '../../src/index.js'
import { bulky } from '../fixtures/faults-nodes/bulky.js'
import { agentIdOf, startAgentProcess, type NodeProcess } from '../support/cluster-processes.js'
import { until, useFaultCluster } from '../support/faults.js'

const CLUSTER = 'faults-big-interims'
const GROUP = 'g'
const NATS_DEFAULT_MAX_PAYLOAD = 1024 * 1024

const file = useFaultCluster(CLUSTER, GROUP)

interface WireInterval {
  seq: number
  parts: number
  bytes: number
  /** performance.now() when its last part passed. */
  atMs: number
  data: string[]
}

/** Every interim of the namespace, put together by sequence number, as a bystander on the broker sees them. */
async function watchIntervals(url: string): Promise<{ intervals: Map<number, WireInterval>; largestMessageBytes: () => number; close: () => Promise<void> }> {
  const connection: NatsConnection = await connect({ servers: url, name: 'big-interims watcher' })
  const intervals = new Map<number, WireInterval>()
  let largest = 0
  connection.subscribe(`loadspec.${CLUSTER}.${GROUP}.session.*`, {
    callback: (error, message) => {
      if (error !== null) return
      largest = Math.max(largest, message.data.byteLength)
      const value = JSON.parse(new TextDecoder().decode(message.data)) as { kind: string; seq: number; part: number; parts: number; data: string }
      if (value.kind !== 'interim') return
      const entry = intervals.get(value.seq) ?? { seq: value.seq, parts: value.parts, bytes: 0, atMs: 0, data: [] }
      entry.bytes += message.data.byteLength
      entry.data[value.part] = value.data
      entry.atMs = performance.now()
      intervals.set(value.seq, entry)
    },
  })
  await connection.flush()
  return { intervals, largestMessageBytes: () => largest, close: () => connection.close() }
}

/** Requests of one iteration in an interval as the wire carries it (ok + failed of the scenario). */
function requestsIn(interval: WireInterval): number {
  const point = JSON.parse(interval.data.join('')) as { scenarios: { scenarioName: string; ok: { count: number }; fail: { count: number } }[] }
  return point.scenarios.filter((stats) => stats.scenarioName === 'bulky').reduce((sum, stats) => sum + stats.ok.count + stats.fail.count, 0)
}

describe('stats that outgrow one NATS message', () => {
  it('live progress includes the agent, bytes per interval stay flat, and a SIGKILLed agent leaves exactly the intervals it sent', async () => {
    const { natsUrl } = file.cluster()
    const target = file.target()
    const wire = await watchIntervals(natsUrl)
    const agent = file.track(startAgentProcess('test/fixtures/faults-nodes/bulky.ts', [`--NatsServerUrl=${natsUrl}`, `--ClusterId=${CLUSTER}`, `--AgentGroup=${GROUP}`], {
      LOADSPEC_FIXTURE_NODE: 'big',
      FAULTS_TARGET_URL: target.url,
    }))
    const agentId = await agentIdOf(agent)
    const progress: { atMs: number; requests: number; statsBytes: number }[] = []
    const run = Runner.registerScenarios(bulky.withLoadSimulations(Simulation.keepConstant(2, '20s')))
      .withConfigSources({ argv: [], env: {} })
      .withoutReports()
      .withNodeType('Coordinator')
      .withNatsServerUrl(natsUrl)
      .withClusterId(CLUSTER)
      .withAgentGroup(GROUP)
      .withAgentsCount(1)
      .withAgentTargetScenarios('bulky')
      .withClusterCommandTimeout(15_000)
      .withConfig({ reportingIntervalMs: 500, heartbeatIntervalMs: 300, agentLostTimeoutMs: 1500 })
      .run({
        quiet: true,
        onProgress: (live) => {
          const stats = live.scenarios.find((entry) => entry.scenarioName === 'bulky')
          progress.push({ atMs: performance.now(), requests: (stats?.ok.count ?? 0) + (stats?.fail.count ?? 0), statsBytes: Buffer.byteLength(JSON.stringify(live.scenarios)) })
        },
      })
    try {
      // Past one message's worth of cumulative stats, and a few intervals beyond that.
      await until(() => progress.some((entry) => entry.statsBytes > 1.2 * NATS_DEFAULT_MAX_PAYLOAD) && wire.intervals.size >= 10, 15_000, 'cumulative stats past 1.2 MB')
      const grownAt = wire.intervals.size
      await until(() => wire.intervals.size >= grownAt + 3, 5_000, 'three more intervals')
      process.kill(agent.pid, 'SIGKILL')
      const result = await run

      const intervals = [...wire.intervals.values()].sort((a, b) => a.seq - b.seq)
      const table = intervals.map((entry) => `#${entry.seq}: ${(entry.bytes / 1024).toFixed(1)} KiB in ${entry.parts} part(s)`).join(', ')
      const largestProgress = Math.max(...progress.map((entry) => entry.statsBytes))
      console.info(`[faults] big interims: cumulative stats reached ${(largestProgress / 1024).toFixed(0)} KiB; bytes per interval on the wire: ${table}`)

      // Live progress held the agent's figures, and they grew.
      expect(progress.at(-1)?.requests).toBeGreaterThan(progress[0]?.requests ?? 0)
      expect(largestProgress).toBeGreaterThan(NATS_DEFAULT_MAX_PAYLOAD)
      // No message beyond max_payload; once the error groups and status codes are full, an interval is small and flat.
      expect(wire.largestMessageBytes()).toBeLessThanOrEqual(NATS_DEFAULT_MAX_PAYLOAD)
      const late = intervals.filter((entry) => entry.seq >= 8).map((entry) => entry.bytes)
      expect(late.length).toBeGreaterThanOrEqual(3)
      expect(Math.max(...late)).toBeLessThan(largestProgress / 10)
      expect(Math.max(...late)).toBeLessThan(2 * Math.min(...late) + 4096)

      // The partial result is the sum of the intervals on the wire, and they are its time series.
      expect(result.incomplete).toBe(true)
      expect(result.nodes.find((node) => node.nodeId === agentId)?.lost).toBe(true)
      const partial = result.getScenarioStats('bulky').allRequestCount
      const onWire = intervals.reduce((sum, entry) => sum + requestsIn(entry), 0)
      expect(partial).toBe(onWire)
      expect(result.timeSeries.map((point) => point.index)).toEqual(intervals.map((entry) => entry.seq))
      expect(result.warnings.join('\n')).toContain(`its scenarios "bulky" count the ${intervals.length} intervals it sent`)
      // Against the target's own log: everything counted reached it, and what reached it well before
      // the last interval passed the broker (its end, less in-flight requests) is counted.
      const last = intervals.at(-1) as WireInterval
      const arrivedBy = (atMs: number): number => target.requestCount - target.countSince(atMs)
      console.info(`[faults] big interims: partial figures ${partial} requests; the target had ${arrivedBy(last.atMs)} when the last interval passed, ${target.requestCount} in all`)
      expect(partial).toBeLessThanOrEqual(arrivedBy(last.atMs))
      expect(partial).toBeGreaterThanOrEqual(arrivedBy(last.atMs - 400) - 2)
    } finally {
      await wire.close()
    }
  }, 60_000)
})
