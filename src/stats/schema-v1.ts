/**
 * Serialized stats of version 1: what JSON reports held before exact scalars
 * were kept beside the histograms. They still load, upgraded to version 2
 * with scalars read back from the histograms: the figures such a report
 * showed when it was written (histogram min, max, mean and stdDev, the exact
 * byte total it kept), not exact ones it never had.
 */
import { z } from 'zod'
import { EMPTY_DISTRIBUTION } from './distribution.js'
import { decodeHistogram, EMPTY_HISTOGRAM } from './histogram.js'
import { MAX_STEPS } from './recorder.js'
import { checkTotals, count, encodedHistogram, errorGroupsSchema, statusCodesSchema } from './schema-parts.js'
import type { SerializedDistribution, SerializedMeasurement, SerializedScenarioStats } from './types.js'

const v1Measurement = z.object({ count, latencyUs: encodedHistogram, bytes: encodedHistogram, totalBytes: count })

const v1CommonShape = { ok: v1Measurement, fail: v1Measurement, statusCodes: statusCodesSchema, errors: errorGroupsSchema }

const v1Step = z.object({ stepName: z.string(), ...v1CommonShape }).superRefine(checkTotals)

export const v1ScenarioStatsSchema = z
  .object({
    version: z.literal(1),
    scenarioName: z.string().min(1),
    durationMs: z.number().nonnegative(),
    droppedIterations: count,
    ...v1CommonShape,
    serviceTimeUs: encodedHistogram.optional(),
    startLagUs: encodedHistogram.optional(),
    steps: z.array(v1Step).max(MAX_STEPS),
  })
  .superRefine(checkTotals)

export type V1ScenarioStats = z.infer<typeof v1ScenarioStatsSchema>
type V1Measurement = z.infer<typeof v1Measurement>

export function upgradeScenarioStatsV1(stats: V1ScenarioStats): SerializedScenarioStats {
  const where = `scenario '${stats.scenarioName}' (version 1)`
  return {
    version: 2,
    scenarioName: stats.scenarioName,
    durationMs: stats.durationMs,
    window: { startMs: 0, endMs: stats.durationMs, pausedMs: 0 },
    droppedIterations: stats.droppedIterations,
    ok: upgradeMeasurement(stats.ok, `ok requests of ${where}`),
    fail: upgradeMeasurement(stats.fail, `failed requests of ${where}`),
    statusCodes: stats.statusCodes,
    errors: stats.errors,
    serviceTimeUs: stats.serviceTimeUs === undefined ? undefined : fromHistogram(stats.serviceTimeUs, undefined, `service time of ${where}`),
    startLagUs: stats.startLagUs === undefined ? undefined : fromHistogram(stats.startLagUs, undefined, `start lag of ${where}`),
    steps: stats.steps.map((step) => ({
      stepName: step.stepName,
      ok: upgradeMeasurement(step.ok, `ok requests of step '${step.stepName}' of ${where}`),
      fail: upgradeMeasurement(step.fail, `failed requests of step '${step.stepName}' of ${where}`),
      statusCodes: step.statusCodes,
      errors: step.errors,
    })),
  }
}

function upgradeMeasurement(measurement: V1Measurement, what: string): SerializedMeasurement {
  return {
    count: measurement.count,
    latencyUs: fromHistogram(measurement.latencyUs, undefined, `latency of ${what}`),
    bytes: fromHistogram(measurement.bytes, measurement.totalBytes, `sizes of ${what}`),
  }
}

/** Scalars as version 1 computed them, from the histogram; `exactSum` where version 1 kept one. */
function fromHistogram(encoded: string, exactSum: number | undefined, what: string): SerializedDistribution {
  if (encoded === EMPTY_HISTOGRAM) return EMPTY_DISTRIBUTION
  const histogram = decodeHistogram(encoded, what)
  const count = histogram.totalCount
  if (count === 0) return EMPTY_DISTRIBUTION
  const mean = histogram.mean
  const sum = exactSum ?? mean * count
  const spread = histogram.stdDeviation
  const min = histogram.getValueAtPercentile(0)
  return {
    histogram: encoded,
    count,
    sum,
    sumOfSquares: (spread * spread + mean * mean) * count,
    min,
    max: Math.max(min, histogram.maxValue),
    saturatedCount: 0,
  }
}
