import { appendFileSync } from 'node:fs'
import { loadScenario } from 'loadspec/vitest'
import { cpu, ping } from './scenarios'

// BENCH_MODE picks the scenario; each run appends its figures to BENCH_OUT.
const scenario = process.env.BENCH_MODE === 'ping' ? ping : cpu
loadScenario(`bench ${scenario.name}`, [scenario], (result) => {
  const stats = result.getScenarioStats(scenario.name)
  const out = process.env.BENCH_OUT
  if (out !== undefined) appendFileSync(out, `${JSON.stringify({ rps: stats.allRequestRps, requests: stats.allRequestCount, nodes: result.nodes.length })}\n`)
})
