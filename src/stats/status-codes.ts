/**
 * Status-code counts: recorded on the hot path keyed by the raw value, turned
 * into the serialized list (codes as strings) off it, and merged or
 * subtracted as serialized lists.
 */
import type { SerializedStatusCode } from './types.js'

/** A status code as handlers return it; normalized to a string only when serialized. */
export type RawStatusCode = string | number

/** Distinct status codes kept per outcome (ok / fail); further codes are counted under OTHER_STATUS_CODE. */
export const MAX_STATUS_CODES = 1000
export const OTHER_STATUS_CODE = 'other'
export const OTHER_STATUS_CODES_MESSAGE = `status codes beyond the first ${MAX_STATUS_CODES} distinct ones`

interface StatusCodeEntry {
  count: number
  message: string
}

/** Counts the status codes of one outcome (ok or fail). Memory is bounded by MAX_STATUS_CODES. */
export class StatusCodeCounter {
  private readonly entries = new Map<RawStatusCode, StatusCodeEntry>()
  // Runs of one status code are the rule (every request a 200): the last entry spares the map lookup.
  private lastCode: RawStatusCode | undefined
  private lastEntry: StatusCodeEntry | undefined

  constructor(private readonly isError: boolean) {}

  record(statusCode: RawStatusCode, message: string): void {
    let entry = this.lastEntry
    if (statusCode !== this.lastCode || entry === undefined) {
      entry = this.entries.get(statusCode) ?? this.addEntry(statusCode)
      this.lastCode = statusCode
      this.lastEntry = entry
    }
    entry.count++
    // Keep the first non-empty message: a handler often says nothing on success and explains failures.
    if (entry.message === '' && message !== '') entry.message = message
  }

  reset(): void {
    this.entries.clear()
    this.lastCode = undefined
    this.lastEntry = undefined
  }

  serialize(): SerializedStatusCode[] {
    const byCode = new Map<string, { count: number; message: string }>()
    // 200 and '200' are one status code once written down.
    for (const [rawCode, entry] of this.entries) {
      const code = String(rawCode)
      const seen = byCode.get(code)
      if (seen === undefined) byCode.set(code, { count: entry.count, message: entry.message })
      else {
        seen.count += entry.count
        if (seen.message === '') seen.message = entry.message
      }
    }
    return [...byCode].map(([statusCode, { count, message }]) => ({ statusCode, isError: this.isError, count, message }))
  }

  private addEntry(statusCode: RawStatusCode): StatusCodeEntry {
    // Runs once per distinct code; past the cap every new code shares one entry, so memory stays flat.
    const key = this.entries.size < MAX_STATUS_CODES ? statusCode : OTHER_STATUS_CODE
    let entry = this.entries.get(key)
    if (entry === undefined) {
      entry = { count: 0, message: key === OTHER_STATUS_CODE && key !== statusCode ? OTHER_STATUS_CODES_MESSAGE : '' }
      this.entries.set(key, entry)
    }
    return entry
  }
}

/** Union of status-code lists: counts summed, first non-empty message kept, capped like the recorder. */
export function mergeStatusCodes(lists: readonly (readonly SerializedStatusCode[])[]): SerializedStatusCode[] {
  const merged = new Map<string, SerializedStatusCode>()
  for (const list of lists) {
    for (const code of list) {
      const key = statusKey(code)
      const seen = merged.get(key)
      merged.set(
        key,
        seen === undefined
          ? { ...code }
          : { ...seen, count: seen.count + code.count, message: seen.message === '' ? code.message : seen.message },
      )
    }
  }
  const all = [...merged.values()]
  return [...capOutcome(all.filter((c) => !c.isError), false), ...capOutcome(all.filter((c) => c.isError), true)]
}

/** current − previous, where previous is an earlier snapshot of the same counts; zero counts are dropped. */
export function subtractStatusCodes(
  current: readonly SerializedStatusCode[],
  previous: readonly SerializedStatusCode[],
  what: string,
): SerializedStatusCode[] {
  const before = new Map(previous.map((code) => [statusKey(code), code]))
  const interval: SerializedStatusCode[] = []
  for (const code of current) {
    const key = statusKey(code)
    const count = code.count - (before.get(key)?.count ?? 0)
    before.delete(key)
    if (count < 0) throw notAPrefix(what, code)
    if (count > 0) interval.push({ ...code, count })
  }
  const vanished = [...before.values()].find((code) => code.count > 0)
  if (vanished !== undefined) throw notAPrefix(what, vanished)
  return interval
}

function statusKey(code: SerializedStatusCode): string {
  return `${code.isError ? 'fail' : 'ok'}:${code.statusCode}`
}

function capOutcome(codes: SerializedStatusCode[], isError: boolean): SerializedStatusCode[] {
  if (codes.length <= MAX_STATUS_CODES) return codes
  const byCount = codes.filter((c) => c.statusCode !== OTHER_STATUS_CODE).sort((a, b) => b.count - a.count)
  const kept = byCount.slice(0, MAX_STATUS_CODES)
  const folded = sumCounts(codes) - sumCounts(kept)
  return [...kept, { statusCode: OTHER_STATUS_CODE, isError, count: folded, message: OTHER_STATUS_CODES_MESSAGE }]
}

function sumCounts(codes: readonly { count: number }[]): number {
  let total = 0
  for (const code of codes) total += code.count
  return total
}

function notAPrefix(what: string, code: SerializedStatusCode): Error {
  return new Error(
    `${what}: status code '${code.statusCode}' (${code.isError ? 'fail' : 'ok'}) has fewer requests in the current snapshot ` +
      'than in the previous one; the previous snapshot must be an earlier snapshot of the same recorder, taken after its last reset()',
  )
}
