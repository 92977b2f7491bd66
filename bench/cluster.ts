/**
 * The cluster benchmark (issues 4 and 7), on loopback NATS: a nats-server
 * of its own on a free port and two `loadspec agent` processes, all stopped
 * by PID at the end (on error too).
 *
 * - cluster.session_start.p50_ms / .p99_ms: runCoordinatorSession's
 *   `timings.loadStartMs` (session begins → the common start time at which
 *   load runs on every node) over 20 sessions of a tiny scenario that both
 *   agents run, on a NATS connection opened beforehand (target < 100 ms).
 * - cluster.final_message.bytes: the `final` message(s) (encodeFinalMessages)
 *   an agent sends for one scenario's report after a 3 s run with HTTP-like
 *   latencies (log-normal around 5 ms), time series included, as it travels
 *   (target < 16 KB). Detail lines give the stats/series split and the same
 *   for a worst case (latencies over 50 µs..5 s, nearly every bucket used).
 * - cluster.merge_50.ms: median time to merge 50 such nodes' results (timeMerge).
 * - cluster.cpu_bound.*: a scenario doing ~200 µs of SHA-256 per iteration
 *   under keepConstant(4, 4 s): one node in a child process vs a coordinator
 *   (here, running nothing itself) and the two agent processes, each agent
 *   running the whole load shape (AgentTargetScenarios), alternating rounds.
 *   The machine may have only two cores: the coordinator, nats-server and
 *   this process share them with the agents, and the ratio says so.
 */
import { availableParallelism, hostname } from 'node:os'
import { performance } from 'node:perf_hooks'
import {
  createTransportFactory,
  encodeFinalMessages,
  runCoordinatorSession,
  silentClusterLog,
  timeMerge,
  type ClusterTransport,
  type CoordinatorRun,
  type NodeReport,
} from '../src/cluster/index.js'
import type { LoadspecConfig } from '../src/config/index.js'
import type { Scenario } from '../src/index.js'
import { startAgentProcess, runBoundedChildScript, type AgentProcess } from './support/cluster-processes.js'
import { cpuScenario, hashWork, noopScenario, spreadScenario, typicalScenario } from './support/cluster-scenarios.js'
import { engine } from './support/loadspec.js'
// The test suite's helper: a free port on 127.0.0.1, stopped by PID, killed when this process exits.
import { startNatsServer, type NatsServerHandle } from '../test/support/nats-server.js'
import { figure, median, note, percentile } from './support/report.js'
import { alternate, pairedRatio, settle, type Contender } from './support/rounds.js'
import { rounds, scaled } from './support/settings.js'

const SCENARIO_MODULE = 'bench/support/cluster-scenarios.ts'
const AGENTS = 2
const SESSIONS = 20
const MERGED_NODES = 50
const CPU_COPIES = 4
const TARGET_ITERATION_US = 200
const CLUSTER_ID = `bench-${process.pid}`
const AGENT_GROUP = 'cluster-bench'
/** No step of this bench should come near it; past it the bench stops with an error (and stops its children). */
const OVERALL_BOUND_MS = 240_000

export async function clusterBench(): Promise<void> {
  const startedMs = performance.now()
  // Calibrated before any child starts: every process (and the handler, on first use) reads it from the environment.
  const hashRounds = calibrateHashRounds()
  process.env.BENCH_CLUSTER_HASH_ROUNDS = String(hashRounds)

  let nats: NatsServerHandle | undefined
  const agents: AgentProcess[] = []
  let transport: ClusterTransport | undefined
  const bound = new AbortController()
  const boundTimer = setTimeout(() => bound.abort(new Error(`cluster bench: over ${OVERALL_BOUND_MS / 1000} s, stopping`)), OVERALL_BOUND_MS)
  try {
    nats = await startNatsServer()
    for (let i = 0; i < AGENTS; i++) {
      agents.push(startAgentProcess(SCENARIO_MODULE, [`--NatsServerUrl=${nats.url}`, `--ClusterId=${CLUSTER_ID}`, `--AgentGroup=${AGENT_GROUP}`]))
    }
    const agentIds = await Promise.all(agents.map((agent) => agent.agentId))
    note(`cluster: nats-server pid ${nats.pid} at ${nats.url}; agents ${agentIds.join(', ')} (pids ${agents.map((a) => a.pid).join(', ')}); ${hashRounds} SHA-256 rounds ≈ ${TARGET_ITERATION_US} µs`)

    const baseConfig = engine.resolveConfig({
      argv: [],
      env: {},
      builder: {
        nodeType: 'Coordinator',
        natsServerUrl: [nats.url],
        clusterId: CLUSTER_ID,
        agentGroup: AGENT_GROUP,
        agentsCount: AGENTS,
        clusterCommandTimeoutMs: 10_000,
        reportsEnabled: false,
      },
    })
    const connectStartMs = performance.now()
    const wireBytes = new WireBytes()
    transport = wireBytes.wrap(await createTransportFactory(baseConfig, silentClusterLog).connect(`loadspec bench coordinator ${hostname()}:${process.pid}`))
    note(`cluster: coordinator NATS connect took ${(performance.now() - connectStartMs).toFixed(1)} ms (not part of the session start figures)`)
    const session = (scenario: Scenario): Promise<CoordinatorRun> => {
      if (bound.signal.aborted) throw bound.signal.reason
      const config: LoadspecConfig = { ...baseConfig, targetScenarios: [scenario.name], agentTargetScenarios: [scenario.name] }
      return runCoordinatorSession({ scenarios: [scenario], config, transport: transport as ClusterTransport, log: silentClusterLog, stopSignal: bound.signal })
    }

    await sessionStart(session, noopScenario)
    await finalMessageSize(typicalScenario, spreadScenario)
    await cpuBound(session, cpuScenario, wireBytes)
  } finally {
    clearTimeout(boundTimer)
    await transport?.close().catch(() => undefined)
    await Promise.all(agents.map((agent) => agent.stop()))
    await nats?.stop()
    note(`cluster: stopped ${agents.length} agent processes and nats-server after ${((performance.now() - startedMs) / 1000).toFixed(1)} s`)
  }
}

type Session = (scenario: Scenario) => Promise<CoordinatorRun>

async function sessionStart(session: Session, noop: Scenario): Promise<void> {
  const { Simulation } = engine
  const scenario = noop.withLoadSimulations(Simulation.iterationsForConstant(1, 1))
  // Two unmeasured sessions first: JIT and the first connection paths on every node.
  for (let i = 0; i < 2; i++) await session(scenario)
  const timings: CoordinatorRun['timings'][] = []
  const attempts: number[] = []
  for (let i = 0; i < SESSIONS; i++) {
    await settle()
    const run = await session(scenario)
    const count = engine.createRunResult(run.result).getScenarioStats(scenario.name).ok.request.count
    if (count !== AGENTS) throw new Error(`cluster bench: a session ran ${count} iterations, expected ${AGENTS} (one per agent)`)
    timings.push(run.timings)
    attempts.push(run.reservationAttempts)
  }
  const starts = timings.map((timing) => timing.loadStartMs)
  const medianOf = (key: keyof CoordinatorRun['timings']): string => median(timings.map((timing) => timing[key])).toFixed(1)
  note(
    `cluster: ${SESSIONS} sessions, ${AGENTS} agents, medians in ms since the session began: agents found ${medianOf('agentsFoundMs')}, ` +
      `accepted ${medianOf('agentsAcceptedMs')}, all nodes ready ${medianOf('nodesReadyMs')}, common start ${medianOf('loadStartMs')} ` +
      `(includes the start lead of >= 20 ms), session done ${medianOf('finishedMs')}`,
  )
  note(`cluster: session start times (ms): ${starts.map((ms) => ms.toFixed(0)).join(' ')}`)
  // "agents found" is the complete reservation (reserve → reserved from every agent): one round trip more than before reservations.
  note(`cluster: reservation attempts per session: ${attempts.join(' ')}`)
  figure('cluster.session_start.p50_ms', percentile(starts, 50), 'ms')
  figure('cluster.session_start.p99_ms', percentile(starts, 99), 'ms')
}

async function finalMessageSize(typical: Scenario, spread: Scenario): Promise<void> {
  const measured = await measureReport(typical)
  const worst = await measureReport(spread)
  note(`cluster: final message for one scenario, latencies log-normal around 5 ms: ${measured.describe}`)
  note(`cluster: the same, latencies spread log-uniformly over 50 µs..5 s (nearly every histogram bucket used): ${worst.describe}`)
  figure('cluster.final_message.bytes', measured.bytes, 'bytes')
  note(`cluster: merging ${MERGED_NODES} nodes' results (copies of one run, each ${measured.seriesPoints} series points), ${measured.mergeMs.length} times: ${measured.mergeMs.map((ms) => ms.toFixed(1)).join(' ')} ms`)
  note(`cluster: the same with the spread-latency run: median ${median(worst.mergeMs).toFixed(1)} ms`)
  figure('cluster.merge_50.ms', median(measured.mergeMs), 'ms')
}

/** One scenario run in this process for 3 s: the size of the final message(s) an agent would send for it, and merge times of 50 copies. */
async function measureReport(base: Scenario): Promise<{ bytes: number; seriesPoints: number; mergeMs: number[]; describe: string }> {
  const { Runner, Simulation } = engine
  const seconds = 3
  const scenario = base.withLoadSimulations(Simulation.keepConstant(4, seconds))
  const result = (await Runner.registerScenarios(scenario).withConfigSources({ argv: [], env: {} }).withoutReports().run({ quiet: true })).toJSON()
  const report: NodeReport = {
    stats: result.scenarios,
    warnings: [],
    startedAtEpochMs: Date.parse(result.startedAt),
    durationMs: result.durationMs,
    timeSeries: result.timeSeries,
    startDelayMs: 0,
  }
  const messages = encodeFinalMessages(report)
  const bytes = total(messages)
  const statsOnly = total(encodeFinalMessages({ ...report, timeSeries: { ...report.timeSeries, points: [] } }))
  const seriesPoints = report.timeSeries.points.length
  const iterations = result.scenarios[0]?.ok.count ?? 0

  // 50 nodes' results: copies of this one with their own node ids (the merge adds histograms and counters either way).
  const parts = Array.from({ length: MERGED_NODES }, (_, index) => ({
    ...result,
    nodes: result.nodes.map((node) => ({ ...node, nodeId: `${node.nodeId}-${index}` })),
  }))
  timeMerge(parts) // unmeasured: JIT
  const mergeMs: number[] = []
  for (let i = 0; i < scaled(11); i++) mergeMs.push(timeMerge(parts).elapsedMs)
  const describe =
    `${bytes} bytes in ${messages.length} part(s) after ${iterations} iterations in ${seconds} s; ` +
    `its stats alone ${statsOnly} bytes, its ${seriesPoints}-point time series (${result.timeSeries.intervalMs} ms) the other ${bytes - statsOnly}`
  return { bytes, seriesPoints, mergeMs, describe }
}

async function cpuBound(session: Session, cpu: Scenario, wireBytes: WireBytes): Promise<void> {
  const { Simulation } = engine
  const seconds = scaled(4)
  const clusterRun = async (runSeconds: number): Promise<{ rps: number }> => {
    const scenario = cpu.withLoadSimulations(Simulation.keepConstant(CPU_COPIES, runSeconds))
    wireBytes.finals.length = 0
    const run = await session(scenario)
    const stats = engine.createRunResult(run.result).getScenarioStats(scenario.name)
    if (run.result.incomplete) throw new Error(`cluster bench: the CPU-bound cluster run was incomplete: ${run.result.warnings.join('; ')}`)
    return { rps: stats.ok.request.count / (stats.durationMs / 1000) }
  }
  const oneNode = (runSeconds: number): Promise<{ rps: number }> =>
    runBoundedChildScript<{ rps: number }>('bench/support/cluster-one-node.ts', [String(CPU_COPIES), String(runSeconds)], (runSeconds + 60) * 1000)
  note(`cluster: CPU-bound scenario, keepConstant(${CPU_COPIES}, ${seconds}): one node (child process) vs coordinator + ${AGENTS} agent processes, ${rounds} rounds, ${availableParallelism()} cores`)
  const contenders: Contender<{ rps: number }>[] = [
    { name: 'one_node', run: () => oneNode(seconds), warmUp: () => oneNode(1) },
    { name: 'two_agents', run: () => clusterRun(seconds), warmUp: () => clusterRun(1) },
  ]
  const results = await alternate('cluster.cpu_bound', contenders, rounds)
  note(`cluster: the last CPU-bound session's final messages on the wire: ${wireBytes.finals.join(', ')} bytes (one per agent)`)
  const oneNodeRps = results.medians.get('one_node')?.rps ?? Number.NaN
  note(`cluster: one node's iterations took ${(1e6 / oneNodeRps).toFixed(0)} µs each on average (engine included); ${availableParallelism()} cores for the agents, the coordinator, nats-server and anything else on the machine`)
  figure('cluster.cpu_bound.one_node.rps', results.medians.get('one_node')?.rps ?? Number.NaN, 'iterations/s')
  figure('cluster.cpu_bound.two_agents.rps', results.medians.get('two_agents')?.rps ?? Number.NaN, 'iterations/s')
  figure('cluster.cpu_bound.ratio', pairedRatio(results, 'two_agents', 'one_node', 'rps'))
}

/** SHA-256 rounds that take ~`targetUs` on this machine (the fastest of five probes). */
export function calibrateHashRounds(targetUs = TARGET_ITERATION_US): number {
  const probe = 2000
  hashWork(probe) // JIT
  const perRoundUs: number[] = []
  for (let i = 0; i < 5; i++) {
    const started = performance.now()
    hashWork(probe)
    perRoundUs.push(((performance.now() - started) * 1000) / probe)
  }
  // The fastest timing: other jobs on the machine only ever make one slower.
  return Math.max(1, Math.round(targetUs / Math.min(...perRoundUs)))
}

/** Wraps the coordinator's transport to count the bytes of the `final` messages it receives. */
class WireBytes {
  readonly finals: number[] = []

  wrap(inner: ClusterTransport): ClusterTransport {
    const finals = this.finals
    const decoder = new TextDecoder()
    return {
      get description() {
        return inner.description
      },
      get maxPayloadBytes() {
        return inner.maxPayloadBytes
      },
      publish: (subject, payload) => inner.publish(subject, payload),
      subscribe: (subject, handler) =>
        inner.subscribe(subject, (payload, from) => {
          if (decoder.decode(payload.subarray(0, 200)).includes('"kind":"final"')) finals.push(payload.byteLength)
          handler(payload, from)
        }),
      flush: () => inner.flush(),
      close: () => inner.close(),
      onStatus: (listener) => inner.onStatus(listener),
    }
  }
}

function total(parts: readonly Uint8Array[]): number {
  return parts.reduce((sum, part) => sum + part.byteLength, 0)
}
