/**
 * The coordinator-service benchmark (issue 12), on loopback NATS: a
 * nats-server of its own, two `loadspec agent` processes and a `loadspec
 * coordinator` process, all stopped by PID at the end (on error too).
 *
 * - service.queue_overhead.p50_ms / .p99_ms: a client's session request →
 *   load running on every agent (the merged result's startedAt, the common
 *   start time), over 20 sessions of a one-iteration scenario both agents
 *   run, submitted one after another on a NATS connection opened beforehand.
 * - service.direct_start.p50_ms / .p99_ms: the same span for today's direct
 *   Coordinator mode (runCoordinatorSession in this process, same agents),
 *   in the same rounds, alternating which goes first.
 * - service.overhead_ratio: median of per-round ratios, client over direct.
 */
import { hostname } from 'node:os'
import { performance } from 'node:perf_hooks'
import { createTransportFactory, runClientSession, runCoordinatorSession, silentClusterLog, type ClusterTransport } from '../src/cluster/index.js'
import { scenarioFingerprint } from '../src/cluster/fingerprint.js'
import { wireSettings } from '../src/cluster/coordinator/load-shape.js'
import type { LoadspecConfig } from '../src/config/index.js'
import { startAgentProcess, startServiceProcess, type AgentProcess } from './support/cluster-processes.js'
import { noopScenario } from './support/cluster-scenarios.js'
import { engine } from './support/loadspec.js'
import { startNatsServer, type NatsServerHandle } from '../test/support/nats-server.js'
import { figure, median, note, percentile } from './support/report.js'
import { settle } from './support/rounds.js'

const AGENTS = 2
const SESSIONS = 20
const CLUSTER_ID = `bench-${process.pid}`
const AGENT_GROUP = 'service-bench'
const SCENARIO_MODULE = 'bench/support/cluster-scenarios.ts'

export async function serviceBench(): Promise<void> {
  const startedMs = performance.now()
  let nats: NatsServerHandle | undefined
  const agents: AgentProcess[] = []
  let service: { stop(): Promise<void> } | undefined
  let transport: ClusterTransport | undefined
  try {
    nats = await startNatsServer()
    const namespace = [`--NatsServerUrl=${nats.url}`, `--ClusterId=${CLUSTER_ID}`, `--AgentGroup=${AGENT_GROUP}`]
    for (let i = 0; i < AGENTS; i++) agents.push(startAgentProcess(SCENARIO_MODULE, namespace))
    await Promise.all(agents.map((agent) => agent.agentId))
    service = await startServiceProcess(namespace)
    const config = engine.resolveConfig({
      argv: [],
      env: {},
      builder: { nodeType: 'Coordinator', natsServerUrl: [nats.url], clusterId: CLUSTER_ID, agentGroup: AGENT_GROUP, agentsCount: AGENTS, clusterCommandTimeoutMs: 10_000, reportsEnabled: false },
    })
    transport = await createTransportFactory(config, silentClusterLog).connect(`loadspec bench client ${hostname()}:${process.pid}`)
    const scenario = noopScenario.withLoadSimulations(engine.Simulation.iterationsForConstant(1, 1))
    const sessionConfig: LoadspecConfig = { ...config, targetScenarios: [scenario.name], agentTargetScenarios: [scenario.name] }
    const open = transport
    const viaService = async (): Promise<number> => {
      const submittedAtEpochMs = Date.now()
      const outcome = await runClientSession({
        scenarios: [{ name: scenario.name, settings: wireSettings(scenario), fingerprint: scenarioFingerprint(scenario) }],
        config: { ...sessionConfig, nodeType: 'Client' },
        transport: open,
      })
      return startOf(JSON.parse(outcome.resultText) as { startedAt: string; scenarios: { ok: { count: number } }[] }) - submittedAtEpochMs
    }
    const direct = async (): Promise<number> => {
      const beganAtEpochMs = Date.now()
      const run = await runCoordinatorSession({ scenarios: [scenario], config: sessionConfig, transport: open, log: silentClusterLog })
      return startOf(run.result) - beganAtEpochMs
    }
    // Two unmeasured sessions of each first: JIT and first connection paths on every node.
    for (let i = 0; i < 2; i++) {
      await viaService()
      await direct()
    }
    const client: number[] = []
    const coordinator: number[] = []
    const ratios: number[] = []
    for (let round = 0; round < SESSIONS; round++) {
      await settle()
      const order = round % 2 === 0 ? [viaService, direct] : [direct, viaService]
      const [first, second] = [await (order[0] as () => Promise<number>)(), await (order[1] as () => Promise<number>)()]
      const [clientMs, directMs] = round % 2 === 0 ? [first, second] : [second, first]
      client.push(clientMs)
      coordinator.push(directMs)
      ratios.push(clientMs / directMs)
    }
    note(`service: ${SESSIONS} rounds, ${AGENTS} agents; session request → common start (ms), via the service: ${client.join(' ')}`)
    note(`service: the same, direct Coordinator mode: ${coordinator.join(' ')}`)
    figure('service.queue_overhead.p50_ms', percentile(client, 50), 'ms')
    figure('service.queue_overhead.p99_ms', percentile(client, 99), 'ms')
    figure('service.direct_start.p50_ms', percentile(coordinator, 50), 'ms')
    figure('service.direct_start.p99_ms', percentile(coordinator, 99), 'ms')
    figure('service.overhead_ratio', median(ratios))
  } finally {
    await transport?.close().catch(() => undefined)
    await service?.stop()
    await Promise.all(agents.map((agent) => agent.stop()))
    await nats?.stop()
    note(`service: stopped the service, ${agents.length} agent processes and nats-server after ${((performance.now() - startedMs) / 1000).toFixed(1)} s`)
  }
}

/** The common start time of a session's result; throws unless both agents ran their one iteration. */
function startOf(result: { readonly startedAt: string; readonly scenarios: readonly { readonly ok: { readonly count: number } }[] }): number {
  const count = result.scenarios[0]?.ok.count
  if (count !== AGENTS) throw new Error(`service bench: a session ran ${count} iterations, expected ${AGENTS} (one per agent)`)
  return Date.parse(result.startedAt)
}
