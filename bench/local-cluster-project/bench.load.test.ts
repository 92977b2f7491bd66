import { appendFileSync } from 'node:fs'
import { loadScenario } from 'loadspec/vitest'
import { cpu, ping } from './scenarios'

// BENCH_MODE picks the scenario; each run appends its figures to BENCH_OUT.
const scenario = process.env.BENCH_MODE === 'ping' ? ping : cpu
loadScenario(`bench ${scenario.name}`, [scenario], (result) => {
  const stats = result.getScenarioStats(scenario.name)
  // Cores the load got: each node's generator CPU time over its wall time, summed.
  const cores = result.nodes.reduce((sum, node) => sum + (node.generator === undefined ? 0 : (node.generator.cpuUserMs + node.generator.cpuSystemMs) / node.generator.wallMs), 0)
  const out = process.env.BENCH_OUT
  if (out !== undefined) appendFileSync(out, `${JSON.stringify({ rps: stats.allRequestRps, cores, nodes: result.nodes.length })}\n`)
})
