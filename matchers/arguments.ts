/**
 * Argument checks. A matcher given a bound it cannot honour (p = 0, a rate
 * of 5 meant as 5 %) throws instead of passing or failing on nonsense.
 */
import type { AsymmetricMatcherLike, CountExpectation } from './types.js'

export function checkPercentile(matcherName: string, percentile: unknown): number {
  if (typeof percentile === 'number' && Number.isFinite(percentile) && percentile > 0 && percentile <= 100) return percentile
  throw new RangeError(`${matcherName}: the percentile must be a number in (0, 100] (e.g. 99 for p99), got ${shown(percentile)}`)
}

/** An upper latency bound: "below 0 ms" can never hold, so it is a mistake rather than a budget. */
export function checkLatencyBound(matcherName: string, ms: unknown): number {
  if (typeof ms === 'number' && Number.isFinite(ms) && ms > 0) return ms
  throw new RangeError(`${matcherName}: the bound must be a positive number of milliseconds, got ${shown(ms)}`)
}

export function checkRate(matcherName: string, rate: unknown): number {
  if (typeof rate === 'number' && Number.isFinite(rate) && rate > 0 && rate <= 1) return rate
  const hint = typeof rate === 'number' && rate > 1 && rate <= 100 ? ` (a rate is a fraction: for ${rate} % write ${rate / 100})` : ''
  throw new RangeError(`${matcherName}: the rate must be a fraction in (0, 1] (0.01 is 1 %), got ${shown(rate)}${hint}`)
}

export function checkRps(matcherName: string, rps: unknown): number {
  if (typeof rps === 'number' && Number.isFinite(rps) && rps > 0) return rps
  throw new RangeError(`${matcherName}: the rate must be a positive number of requests per second, got ${shown(rps)}`)
}

export function checkCount(matcherName: string, count: unknown): CountExpectation {
  if (typeof count === 'number' && Number.isSafeInteger(count) && count >= 0) return count
  if (isAsymmetricMatcher(count)) return count
  throw new TypeError(`${matcherName}: the count must be a non-negative integer or an asymmetric matcher such as expect.any(Number), got ${shown(count)}`)
}

export function checkStatusCode(matcherName: string, statusCode: unknown): string {
  if (typeof statusCode === 'number' && Number.isSafeInteger(statusCode)) return String(statusCode)
  if (typeof statusCode === 'string' && statusCode.trim() !== '') return statusCode.trim()
  throw new TypeError(`${matcherName}: the status code must be an integer or a non-empty string (e.g. 500 or 'timeout'), got ${shown(statusCode)}`)
}

/** How an expected count reads in a message: `3`, or the matcher's own description (`Any<Number>`). */
export function describeCount(count: CountExpectation): string {
  if (typeof count === 'number') return String(count)
  const described = (count as { toAsymmetricMatcher?: () => string }).toAsymmetricMatcher?.()
  return typeof described === 'string' ? described : String(count)
}

function isAsymmetricMatcher(value: unknown): value is AsymmetricMatcherLike {
  return typeof value === 'object' && value !== null && typeof (value as { asymmetricMatch?: unknown }).asymmetricMatch === 'function'
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object'
  return String(value)
}
