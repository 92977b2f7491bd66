/** The pieces both versions of the serialized-stats schema are built from. */
import { z } from 'zod'
import { MAX_ERROR_GROUPS } from './error-groups.js'
import { MAX_STATUS_CODES } from './status-codes.js'
import type { SerializedStatusCode, ErrorStats } from './types.js'

export const count = z.number().int().nonnegative()
export const measuredValue = z.number().finite().nonnegative()

// The compressed V2 cookie 0x1c849314 always encodes to base64 starting with "HIST".
export const encodedHistogram = z
  .string()
  .regex(/^HIST[A-Za-z0-9+/]*={0,2}$/, 'expected an HDR histogram in compressed base64 (starting with "HIST")')

export const statusCodeSchema = z.object({ statusCode: z.string(), isError: z.boolean(), count, message: z.string() })

export const errorGroupSchema = z.object({ message: z.string(), statusCode: z.string(), count })

/** Per outcome: the kept codes plus one "other" entry. */
export const statusCodesSchema = z.array(statusCodeSchema).max(2 * (MAX_STATUS_CODES + 1))
export const errorGroupsSchema = z.array(errorGroupSchema).max(MAX_ERROR_GROUPS + 1)

/** Counts that the recorder keeps consistent: every request has one status code, every failure one error group. */
interface CountedStats {
  readonly ok: { readonly count: number }
  readonly fail: { readonly count: number }
  readonly statusCodes: readonly SerializedStatusCode[]
  readonly errors: readonly ErrorStats[]
}

export function checkTotals(stats: CountedStats, ctx: z.RefinementCtx): void {
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
