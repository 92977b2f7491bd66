/**
 * Values beyond the histogram's range are recorded at its top (so its
 * percentiles stop there) and exactly everywhere else; the result says so,
 * once per scenario and quantity, with the count.
 */
import { MAX_RECORDABLE_VALUE } from './histogram.js'
import type { SerializedCommonStats, SerializedDistribution, SerializedScenarioStats } from './types.js'

export function saturationWarnings(stats: SerializedScenarioStats): string[] {
  const where = `scenario "${stats.scenarioName}"`
  const warnings = commonWarnings(stats, where)
  warnings.push(...distributionWarning(stats.serviceTimeUs, where, 'service times', 'µs'))
  warnings.push(...distributionWarning(stats.startLagUs, where, 'start lags', 'µs'))
  for (const step of stats.steps) warnings.push(...commonWarnings(step, `step "${step.stepName}" of ${where}`))
  return warnings
}

function commonWarnings(stats: SerializedCommonStats, where: string): string[] {
  return [
    ...distributionWarning(sum(stats.ok.latencyUs, stats.fail.latencyUs), where, 'latencies', 'µs'),
    ...distributionWarning(sum(stats.ok.bytes, stats.fail.bytes), where, 'response sizes', 'B'),
  ]
}

function sum(a: SerializedDistribution, b: SerializedDistribution): { readonly saturatedCount: number; readonly max: number } {
  return { saturatedCount: a.saturatedCount + b.saturatedCount, max: Math.max(a.max, b.max) }
}

function distributionWarning(
  distribution: { readonly saturatedCount: number; readonly max: number } | undefined,
  where: string,
  what: string,
  unit: string,
): string[] {
  if (distribution === undefined || distribution.saturatedCount === 0) return []
  const limit = `${MAX_RECORDABLE_VALUE.toExponential()} ${unit}`
  return [
    `${where}: ${distribution.saturatedCount} ${what} above ${limit} (largest ${distribution.max.toExponential(3)} ${unit}) are held at ${limit} ` +
      'in the histogram, so percentiles stop there; count, total, min, max and mean count them exactly',
  ]
}
