/**
 * The matchers, runner-agnostic: each is a plain function of a matcher
 * context (`this`), the received value and its arguments, as Vitest's and
 * Jest's `expect.extend` call them.
 */
import { formatCount, formatDuration, formatMs, formatRps } from '../src/reports/format.js'
import type { LatencyStats } from '../src/stats/types.js'
import { checkCount, checkLatencyBound, checkPercentile, checkRate, checkRps, checkStatusCode, describeCount } from './arguments.js'
import { toMatchLoadBaseline } from './baseline.js'
import { toHaveHealthyLoadGenerator } from './generator.js'
import { statsSubject, type StatsSubject } from './subject.js'
import type { CountExpectation, LoadspecMatchers, MatcherContext, MatcherResult } from './types.js'
import { unanswerable, verdict } from './verdict.js'

export function toHavePercentileBelow(this: MatcherContext, received: unknown, percentile: number, ms: number): MatcherResult {
  const name = 'toHavePercentileBelow'
  const p = checkPercentile(name, percentile)
  const bound = checkLatencyBound(name, ms)
  const subject = statsSubject(received, name)
  const actual = okLatency(name, subject).percentile(p)
  return verdict(this, subject, actual < bound, {
    expected: `to have p${p} latency below ${bound} ms`,
    measured: `its p${p} latency is ${formatMs(actual)} ms`,
  })
}

export function toHaveMeanLatencyBelow(this: MatcherContext, received: unknown, ms: number): MatcherResult {
  const name = 'toHaveMeanLatencyBelow'
  const bound = checkLatencyBound(name, ms)
  const subject = statsSubject(received, name)
  const actual = okLatency(name, subject).mean
  return verdict(this, subject, actual < bound, {
    expected: `to have a mean latency below ${bound} ms`,
    measured: `its mean latency is ${formatMs(actual)} ms`,
  })
}

export function toHaveMaxLatencyBelow(this: MatcherContext, received: unknown, ms: number): MatcherResult {
  const name = 'toHaveMaxLatencyBelow'
  const bound = checkLatencyBound(name, ms)
  const subject = statsSubject(received, name)
  const actual = okLatency(name, subject).max
  return verdict(this, subject, actual < bound, {
    expected: `to have a max latency below ${bound} ms`,
    measured: `its max latency is ${formatMs(actual)} ms`,
  })
}

export function toHaveStatusCodeCount(this: MatcherContext, received: unknown, statusCode: number | string, count: CountExpectation): MatcherResult {
  const name = 'toHaveStatusCodeCount'
  const code = checkStatusCode(name, statusCode)
  const expected = checkCount(name, count)
  const subject = statsSubject(received, name)
  // A code can appear twice: once among ok responses and once among failures.
  const actual = subject.stats.statusCodes.filter((entry) => entry.statusCode === code).reduce((sum, entry) => sum + entry.count, 0)
  return verdict(this, subject, this.equals(actual, expected), {
    expected: `to have ${describeCount(expected)} responses with status code ${code}`,
    measured: `it has ${formatCount(actual)}`,
  })
}

export function toHaveFailCount(this: MatcherContext, received: unknown, count: CountExpectation): MatcherResult {
  const name = 'toHaveFailCount'
  const expected = checkCount(name, count)
  const subject = statsSubject(received, name)
  const actual = subject.stats.fail.request.count
  return verdict(this, subject, this.equals(actual, expected), {
    expected: `to have ${describeCount(expected)} failed requests`,
    measured: `it has ${formatCount(actual)}`,
  })
}

export function toHaveOkCount(this: MatcherContext, received: unknown, count: CountExpectation): MatcherResult {
  const name = 'toHaveOkCount'
  const expected = checkCount(name, count)
  const subject = statsSubject(received, name)
  const actual = subject.stats.ok.request.count
  return verdict(this, subject, this.equals(actual, expected), {
    expected: `to have ${describeCount(expected)} ok requests`,
    measured: `it has ${formatCount(actual)}`,
  })
}

export function toHaveFailRateBelow(this: MatcherContext, received: unknown, rate: number): MatcherResult {
  const name = 'toHaveFailRateBelow'
  const bound = checkRate(name, rate)
  const subject = statsSubject(received, name)
  const { allRequestCount, fail } = subject.stats
  if (allRequestCount === 0) throw unanswerable(name, subject, 'has no requests, so it has no fail rate')
  const actual = fail.request.count / allRequestCount
  return verdict(this, subject, actual < bound, {
    expected: `to have a fail rate below ${rateText(bound)}`,
    measured: `it is ${rateText(actual)}: ${formatCount(fail.request.count)} of ${formatCount(allRequestCount)} requests failed`,
  })
}

export function toHaveRpsAtLeast(this: MatcherContext, received: unknown, rps: number): MatcherResult {
  const name = 'toHaveRpsAtLeast'
  const bound = checkRps(name, rps)
  const subject = statsSubject(received, name)
  const actual = subject.stats.ok.request.rps
  return verdict(this, subject, actual >= bound, {
    expected: `to have at least ${bound} ok requests per second`,
    expectedNot: `to have fewer than ${bound} ok requests per second`,
    // The window is the measured one (docs/numbers.md); all requests per second are shown too, labelled, so neither is mistaken for the other.
    measured:
      `it has ${formatRps(actual)} (${formatCount(subject.stats.ok.request.count)} ok requests in a ${formatDuration(subject.stats.durationMs)} measured window; ` +
      `all requests: ${formatRps(subject.stats.allRequestRps)} per second)`,
  })
}

export function toHaveNoDroppedIterations(this: MatcherContext, received: unknown): MatcherResult {
  const name = 'toHaveNoDroppedIterations'
  const subject = statsSubject(received, name)
  if (subject.stats.kind !== 'scenario') {
    throw unanswerable(name, subject, 'is a step: iterations are dropped per scenario, so pass the scenario\'s stats')
  }
  const dropped = subject.stats.droppedIterations
  return verdict(this, subject, dropped === 0, {
    expected: 'to have no dropped iterations',
    expectedNot: 'to have dropped iterations',
    measured: dropped === 0 ? 'it dropped none' : `it dropped ${formatCount(dropped)} (due while maxConcurrency iterations were in flight)`,
  })
}

/** Every matcher by name, ready for `expect.extend`. */
export const loadspecMatchers = {
  toHavePercentileBelow,
  toHaveStatusCodeCount,
  toHaveFailRateBelow,
  toHaveFailCount,
  toHaveOkCount,
  toHaveRpsAtLeast,
  toHaveMeanLatencyBelow,
  toHaveMaxLatencyBelow,
  toHaveNoDroppedIterations,
  toHaveHealthyLoadGenerator,
  toMatchLoadBaseline,
} satisfies Record<keyof LoadspecMatchers<void>, (this: MatcherContext, received: unknown, ...args: never[]) => MatcherResult>

/** `0.04762 (4.762 %)`: four significant digits, so a rate just above its bound never reads as equal to it. */
function rateText(rate: number): string {
  const significant = (value: number): string => String(Number(value.toPrecision(4)))
  return `${significant(rate)} (${significant(rate * 100)} %)`
}

/** Latency matchers read ok requests; with none, there is no latency to hold to a budget. */
function okLatency(matcherName: string, subject: StatsSubject): LatencyStats {
  const { ok, fail } = subject.stats
  if (ok.latencyMs.count > 0) return ok.latencyMs
  throw unanswerable(matcherName, subject, `has no ok requests (${formatCount(fail.request.count)} failed), so it has no latency to compare`)
}
