/**
 * The coordinator of the simulated fleet, in a process of its own so its CPU
 * is its own: `loadspec run bench/support/fleet-coordinator.ts <agents>
 * <seconds> <natsUrl> <clusterId>`. It runs one session over the fleet's
 * agents and prints one JSON line: its CPU over the load (first to last
 * progress report) and, per progress report, how long after the end of the
 * interval it covers it came (the delay from interval end to merged
 * progress), with what the agents sent.
 */
import { resolveConfig } from '../../src/config/index.js'
import { createTransportFactory, runCoordinatorSession, silentClusterLog } from '../../src/cluster/index.js'
import { FLEET_SCENARIO, fleetScenario } from './fleet-scenario.js'
import { engine } from './loadspec.js'

const [agentsText, secondsText, natsUrl, clusterId] = process.argv.slice(process.argv.findIndex((arg) => arg.endsWith('fleet-coordinator.ts')) + 1)
const agents = Number(agentsText)
const seconds = Number(secondsText)
const INTERVAL_MS = 1000

const config = resolveConfig({
  argv: [],
  env: {},
  builder: {
    nodeType: 'Coordinator',
    natsServerUrl: natsUrl ?? '',
    clusterId: clusterId ?? 'fleet',
    agentGroup: 'fleet',
    agentsCount: agents,
    agentTargetScenarios: [FLEET_SCENARIO],
    reportingIntervalMs: INTERVAL_MS,
    clusterCommandTimeoutMs: 120_000,
    reportsEnabled: false,
  },
})
// FLEET_CPU_PROFILE=<file>: a CPU profile of this coordinator (chrome://inspect, or speedscope) for finding where its time goes.
const profiler = process.env.FLEET_CPU_PROFILE === undefined ? undefined : await startProfiler()
const transports = createTransportFactory(config, silentClusterLog)
const transport = await transports.connect('fleet coordinator')
const delaysMs: number[] = []
let firstCpu: NodeJS.CpuUsage | undefined
let firstAtMs = 0
let lastCpu: NodeJS.CpuUsage | undefined
let lastAtMs = 0
let requests = 0
const run = await runCoordinatorSession({
  scenarios: [fleetScenario.withLoadSimulations(engine.Simulation.inject(20, 1, seconds))],
  config,
  transport,
  log: silentClusterLog,
  interimIntervalMs: INTERVAL_MS,
  onProgress: (progress) => {
    const nowMs = performance.now()
    if (firstCpu === undefined) {
      firstCpu = process.cpuUsage()
      firstAtMs = nowMs
    } else {
      lastCpu = process.cpuUsage(firstCpu)
      lastAtMs = nowMs
    }
    // Reported as an interval completes: the time since the interval boundary just passed.
    delaysMs.push(progress.elapsedMs - Math.floor(progress.elapsedMs / INTERVAL_MS) * INTERVAL_MS)
    requests = progress.scenarios.reduce((sum, stats) => sum + stats.ok.count + stats.fail.count, 0)
  },
})
await transport.close()
await transports.close()
if (profiler !== undefined) await profiler.stopInto(process.env.FLEET_CPU_PROFILE as string)
const cpuMs = lastCpu === undefined ? Number.NaN : (lastCpu.user + lastCpu.system) / 1000
const result = run.result.scenarios.find((stats) => stats.scenarioName === FLEET_SCENARIO)
console.log(
  JSON.stringify({
    agents,
    cpuShare: cpuMs / (lastAtMs - firstAtMs),
    delaysMs,
    progressRequests: requests,
    resultRequests: (result?.ok.count ?? 0) + (result?.fail.count ?? 0),
    agentsFoundMs: run.timings.agentsFoundMs,
    loadStartMs: run.timings.loadStartMs,
  }),
)

async function startProfiler(): Promise<{ stopInto(path: string): Promise<void> }> {
  const { Session } = await import('node:inspector/promises')
  const { writeFile } = await import('node:fs/promises')
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  return {
    stopInto: async (path) => {
      const { profile } = await session.post('Profiler.stop')
      await writeFile(path, JSON.stringify(profile))
      session.disconnect()
    },
  }
}

