/**
 * A matcher's answer: pass or not, and a message that reads right in both
 * directions (with and without `.not`) and carries the stats table, so a CI
 * log shows the whole picture next to the one figure that failed.
 */
import { formatStatsTable } from '../src/reports/stats-table.js'
import type { StatsSubject } from './subject.js'
import type { MatcherContext, MatcherResult } from './types.js'

export interface Claim {
  /** What was expected, after "expected <subject>": `to have p99 latency below 250 ms`. */
  readonly expected: string
  /** The same with `.not`; default: "not " + expected. */
  readonly expectedNot?: string
  /** What was measured, after "but": `it is 312.45 ms`. */
  readonly measured: string
}

export function verdict(context: MatcherContext, subject: StatsSubject, pass: boolean, claim: Claim): MatcherResult {
  return {
    pass,
    message: () => {
      const expected = context.isNot ? (claim.expectedNot ?? `not ${claim.expected}`) : claim.expected
      return `expected ${subject.label} ${expected}, but ${claim.measured}\n\n${formatStatsTable(subject.stats)}`
    },
  }
}

/** A usage error that needs the figures to be understood (e.g. no ok request to take a latency from). */
export function unanswerable(matcherName: string, subject: StatsSubject, problem: string): Error {
  return new Error(`${matcherName}: ${subject.label} ${problem}\n\n${formatStatsTable(subject.stats)}`)
}
