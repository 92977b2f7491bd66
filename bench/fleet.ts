/**
 * A simulated fleet (issue 11): N agents in this one process, each a real
 * ClusterAgent on its own NATS connection, running a synthetic scenario
 * (support/fleet-scenario.ts: realistic per-interval deltas, no I/O) at
 * inject(20/s) with 1 s intervals, coordinated by a coordinator process of
 * its own (support/fleet-coordinator.ts) over a nats-server of its own.
 * N = 10, 100, 500 (BENCH_FLEET=10,100 to choose):
 *
 * - fleet.<N>.coordinator_cpu: the coordinator's CPU over the load, as a
 *   share of one core (target for 500 agents: < 0.20);
 * - fleet.<N>.progress_delay_p50_ms / _p99_ms: from the end of an interval
 *   to the merged progress report that holds it;
 * - fleet.<N>.interim_bytes: what one agent sends per interval on the wire.
 *
 * The agents share this process (and the machine's cores) with nats-server
 * and the coordinator: on a small machine the figures say so.
 */
import { connect } from '@nats-io/transport-node'
import { ClusterAgent, connectNatsTransport, silentClusterLog, type NatsTransport } from '../src/cluster/index.js'
// The test suite's helper: a free port on 127.0.0.1, stopped by PID, killed when this process exits.
import { startNatsServer } from '../test/support/nats-server.js'
import { runBoundedChildScript } from './support/cluster-processes.js'
import { fleetScenario } from './support/fleet-scenario.js'
import { figure, note } from './support/report.js'
import { scaled } from './support/settings.js'

interface CoordinatorFigures {
  readonly agents: number
  readonly cpuShare: number
  readonly delaysMs: readonly number[]
  readonly progressRequests: number
  readonly resultRequests: number
  readonly agentsFoundMs: number
  readonly loadStartMs: number
}

const FLEET_SIZES = (process.env.BENCH_FLEET ?? '10,100,500').split(',').map(Number).filter((size) => Number.isInteger(size) && size > 0)

export async function fleetBench(): Promise<void> {
  const seconds = scaled(10)
  const nats = await startNatsServer()
  try {
    for (const size of FLEET_SIZES) await fleetRound(nats.url, size, seconds)
  } finally {
    await nats.stop()
  }
}

async function fleetRound(natsUrl: string, size: number, seconds: number): Promise<void> {
  const clusterId = `fleet-${size}-${process.pid}`
  const settings = { natsServerUrl: [natsUrl], agentLostTimeoutMs: 10_000 }
  const transports: NatsTransport[] = []
  const agents: ClusterAgent[] = []
  const wire = await connect({ servers: natsUrl, name: 'fleet bench wire counter' })
  let interimBytes = 0
  let interimMessages = 0
  wire.subscribe(`loadspec.${clusterId}.fleet.session.*`, {
    callback: (_error, message) => {
      // Cheap: the kind sits early in the envelope.
      if (!new TextDecoder().decode(message.data.subarray(0, 400)).includes('"kind":"interim"')) return
      interimBytes += message.data.byteLength
      interimMessages++
    },
  })
  try {
    for (let index = 0; index < size; index++) {
      const transport = await connectNatsTransport(settings, { log: silentClusterLog, name: `fleet agent ${index}` })
      transports.push(transport)
      const agent = new ClusterAgent({ scenarios: [fleetScenario], transport, clusterId, agentGroup: 'fleet', agentId: `fleet-${index}`, log: silentClusterLog })
      agent.start()
      agents.push(agent)
    }
    note(`fleet: ${size} agents connected; a coordinator process runs inject(20, 1, ${seconds}) on each`)
    const figures = await runBoundedChildScript<CoordinatorFigures>('bench/support/fleet-coordinator.ts', [String(size), String(seconds), natsUrl, clusterId], (seconds + 120) * 1000)
    const delays = [...figures.delaysMs].sort((a, b) => a - b)
    const at = (q: number): number => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? Number.NaN
    note(
      `fleet ${size}: reserved in ${Math.round(figures.agentsFoundMs)} ms, load from ${Math.round(figures.loadStartMs)} ms; ` +
        `${delays.length} progress reports, the last with ${figures.progressRequests} of the ${figures.resultRequests} requests in the result; ` +
        `${interimMessages} interim messages; delays ${figures.delaysMs.map((d) => Math.round(d)).join(" ")}`,
    )
    figure(`fleet.${size}.coordinator_cpu`, figures.cpuShare, 'of one core')
    figure(`fleet.${size}.progress_delay_p50_ms`, at(0.5), 'ms')
    figure(`fleet.${size}.progress_delay_p99_ms`, at(0.99), 'ms')
    figure(`fleet.${size}.interim_bytes`, interimMessages === 0 ? Number.NaN : interimBytes / interimMessages, 'bytes per agent per interval')
  } finally {
    await Promise.all(agents.map((agent) => agent.stop()))
    await Promise.all(transports.map((transport) => transport.close()))
    await wire.close()
  }
}
