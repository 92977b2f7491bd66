/**
 * `loadspec report --compare base.json new.json`: the comparison
 * toMatchLoadBaseline makes, for two saved results, scenario by scenario.
 */
import { createRunResult, type SerializedRunResult } from '../../result/result.js'
import { compareToBaseline, DEFAULT_TOLERANCES, scenarioBaseline, type ScenarioBaseline } from './compare.js'

export interface RunComparison {
  readonly lines: readonly string[]
  readonly regressed: boolean
}

export function compareRuns(base: SerializedRunResult, now: SerializedRunResult, baseLabel: string, nowLabel: string): RunComparison {
  const baseStats = createRunResult(base).scenarioStats
  const nowStats = createRunResult(now).scenarioStats
  const { latency, latencyMinMs, failRate, rps } = DEFAULT_TOLERANCES
  const lines = [
    `comparing ${nowLabel} with its baseline ${baseLabel}`,
    `tolerances: ok p50/p95/p99 +${latency * 100} % and at least +${latencyMinMs} ms, fail rate +${failRate * 100} point, rps −${rps * 100} %`,
  ]
  let regressed = false
  for (const stats of nowStats) {
    const before = baseStats.find((candidate) => candidate.scenarioName === stats.scenarioName)
    if (before === undefined) {
      lines.push(`scenario "${stats.scenarioName}": not in the baseline (nothing to compare)`)
      continue
    }
    const [was, is] = [scenarioBaseline(before), scenarioBaseline(stats)]
    const regressions = compareToBaseline(was, is)
    if (regressions.length === 0) {
      lines.push(`scenario "${stats.scenarioName}": within tolerance (${figures(was, is)})`)
      continue
    }
    regressed = true
    lines.push(`scenario "${stats.scenarioName}": regressed`, ...regressions.map((regression) => `  ${regression.text}`))
  }
  for (const gone of baseStats.filter((stats) => !nowStats.some((candidate) => candidate.scenarioName === stats.scenarioName))) {
    lines.push(`scenario "${gone.scenarioName}": in the baseline only`)
  }
  return { lines, regressed }
}

function figures(was: ScenarioBaseline, is: ScenarioBaseline): string {
  const ms = (value: number) => value.toFixed(2)
  return (
    `ok p50 ${ms(was.p50Ms)} → ${ms(is.p50Ms)} ms, p95 ${ms(was.p95Ms)} → ${ms(is.p95Ms)} ms, p99 ${ms(was.p99Ms)} → ${ms(is.p99Ms)} ms, ` +
    `fail rate ${(was.failRate * 100).toFixed(1)} → ${(is.failRate * 100).toFixed(1)} %, rps ${was.rps.toFixed(1)} → ${is.rps.toFixed(1)}`
  )
}
