/**
 * Validation of serialized stats that arrive from outside the process (a
 * cluster message, a JSON report). The shape is checked here; histogram
 * contents are checked when decoded, with an error naming the histogram.
 * Version 1 (reports written before exact scalars were kept) still loads:
 * it is upgraded to version 2 on the way in (see schema-v1.ts).
 */
import { z } from 'zod'
import { MAX_STEPS } from './recorder.js'
import { checkTotals, count, encodedHistogram, errorGroupsSchema, measuredValue, statusCodesSchema } from './schema-parts.js'
import { upgradeScenarioStatsV1, v1ScenarioStatsSchema } from './schema-v1.js'
import type { SerializedScenarioStats } from './types.js'

const distribution = z
  .object({
    histogram: encodedHistogram,
    count,
    sum: measuredValue,
    sumOfSquares: measuredValue,
    min: measuredValue,
    max: measuredValue,
    saturatedCount: count,
  })
  .refine((d) => d.min <= d.max, { message: 'min must not be above max', path: ['min'] })
  .refine((d) => d.saturatedCount <= d.count, { message: 'saturatedCount must not be above count', path: ['saturatedCount'] })

const measurement = z
  .object({ count, latencyUs: distribution, bytes: distribution })
  .refine((m) => m.latencyUs.count === m.count && m.bytes.count === m.count, {
    message: 'latencyUs.count and bytes.count must equal count (one latency and one size per request)',
    path: ['count'],
  })

const commonShape = { ok: measurement, fail: measurement, statusCodes: statusCodesSchema, errors: errorGroupsSchema }

const step = z.object({ stepName: z.string(), ...commonShape }).superRefine(checkTotals)

const window = z.object({ startMs: z.number().finite(), endMs: z.number().finite(), pausedMs: measuredValue })

const v2ScenarioStatsSchema = z
  .object({
    version: z.literal(2),
    scenarioName: z.string().min(1),
    durationMs: measuredValue,
    window,
    droppedIterations: count,
    ...commonShape,
    // JSON drops undefined, so closed-model stats arrive without these keys.
    serviceTimeUs: distribution.optional(),
    startLagUs: distribution.optional(),
    steps: z.array(step).max(MAX_STEPS),
  })
  .superRefine(checkTotals)

export const serializedScenarioStatsSchema = z
  .discriminatedUnion('version', [v2ScenarioStatsSchema, v1ScenarioStatsSchema], {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `expected loadspec stats of version 2 (or 1, from older reports), got version ${JSON.stringify((issue.input as { version?: unknown } | undefined)?.version)}`
        : undefined,
  })
  .transform(
    (stats): SerializedScenarioStats =>
      stats.version === 1 ? upgradeScenarioStatsV1(stats) : { ...stats, serviceTimeUs: stats.serviceTimeUs, startLagUs: stats.startLagUs },
  )

/** Validates `value`; throws an Error that lists every problem with its path. */
export function parseSerializedScenarioStats(value: unknown, source = 'serialized scenario stats'): SerializedScenarioStats {
  const result = serializedScenarioStatsSchema.safeParse(value)
  if (!result.success) throw new Error(`Invalid ${source}:\n${z.prettifyError(result.error)}`, { cause: result.error })
  return result.data
}
