/**
 * The one-node contender of the cluster bench, in a process of its own like
 * each agent: the CPU-bound scenario under keepConstant(copies, seconds)
 * on a single node. Prints one JSON line: { rps }.
 */
import { engine } from './loadspec.js'
import { cpuScenario, CPU_SCENARIO } from './cluster-scenarios.js'

const args = process.argv.slice(process.argv.findIndex((arg) => arg.endsWith('cluster-one-node.ts')) + 1)
const copies = Number(args[0] ?? 4)
const seconds = Number(args[1] ?? 4)

const { Runner, Simulation } = engine
const scenario = cpuScenario.withLoadSimulations(Simulation.keepConstant(copies, seconds))
const result = await Runner.registerScenarios(scenario).withConfigSources({ argv: [], env: {} }).withoutReports().run({ quiet: true })
const stats = result.getScenarioStats(CPU_SCENARIO)
console.log(JSON.stringify({ rps: stats.ok.request.count / (stats.durationMs / 1000) }))
