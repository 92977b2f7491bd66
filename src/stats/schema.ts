/**
 * Validation of serialized stats that arrive from outside the process (a
 * cluster message, a JSON report). The shape is checked here; histogram
 * contents are checked when decoded, with an error naming the histogram.
 */
import { z } from 'zod'
import { MAX_ERROR_GROUPS } from './error-groups.js'
import { MAX_STEPS } from './recorder.js'
import { MAX_STATUS_CODES } from './status-codes.js'
import type { SerializedCommonStats, SerializedScenarioStats } from './types.js'

const count = z.number().int().nonnegative()

// The compressed V2 cookie 0x1c849314 always encodes to base64 starting with "HIST".
const encodedHistogram = z
  .string()
  .regex(/^HIST[A-Za-z0-9+/]*={0,2}$/, 'expected an HDR histogram in compressed base64 (starting with "HIST")')

const measurement = z.object({ count, latencyUs: encodedHistogram, bytes: encodedHistogram, totalBytes: count })

const statusCode = z.object({ statusCode: z.string(), isError: z.boolean(), count, message: z.string() })

const errorGroup = z.object({ message: z.string(), statusCode: z.string(), count })

const commonShape = {
  ok: measurement,
  fail: measurement,
  // Per outcome: the kept codes plus one "other" entry.
  statusCodes: z.array(statusCode).max(2 * (MAX_STATUS_CODES + 1)),
  errors: z.array(errorGroup).max(MAX_ERROR_GROUPS + 1),
}

const step = z.object({ stepName: z.string(), ...commonShape }).superRefine(checkTotals)

export const serializedScenarioStatsSchema = z
  .object({
    version: z.literal(1),
    scenarioName: z.string().min(1),
    durationMs: z.number().nonnegative(),
    droppedIterations: count,
    ...commonShape,
    // JSON drops undefined, so closed-model stats arrive without these keys.
    serviceTimeUs: encodedHistogram.optional(),
    startLagUs: encodedHistogram.optional(),
    steps: z.array(step).max(MAX_STEPS),
  })
  .superRefine(checkTotals)
  .transform(
    (stats): SerializedScenarioStats => ({
      ...stats,
      serviceTimeUs: stats.serviceTimeUs,
      startLagUs: stats.startLagUs,
    }),
  )

/** Validates `value`; throws an Error that lists every problem with its path. */
export function parseSerializedScenarioStats(value: unknown, source = 'serialized scenario stats'): SerializedScenarioStats {
  const result = serializedScenarioStatsSchema.safeParse(value)
  if (!result.success) throw new Error(`Invalid ${source}:\n${z.prettifyError(result.error)}`, { cause: result.error })
  return result.data
}

/** Counts that the recorder keeps consistent: every request has one status code, every failure one error group. */
function checkTotals(stats: SerializedCommonStats, ctx: z.RefinementCtx): void {
  const okByCode = sumOf(stats.statusCodes.filter((code) => !code.isError))
  const failByCode = sumOf(stats.statusCodes.filter((code) => code.isError))
  if (okByCode !== stats.ok.count) {
    ctx.addIssue({ code: 'custom', path: ['statusCodes'], message: `ok status codes count ${okByCode} requests, ok.count is ${stats.ok.count}` })
  }
  if (failByCode !== stats.fail.count) {
    ctx.addIssue({ code: 'custom', path: ['statusCodes'], message: `fail status codes count ${failByCode} requests, fail.count is ${stats.fail.count}` })
  }
  const byError = sumOf(stats.errors)
  if (byError !== stats.fail.count) {
    ctx.addIssue({ code: 'custom', path: ['errors'], message: `error groups count ${byError} failures, fail.count is ${stats.fail.count}` })
  }
}

function sumOf(items: readonly { count: number }[]): number {
  let total = 0
  for (const item of items) total += item.count
  return total
}
