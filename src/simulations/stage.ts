/**
 * The building blocks a plan is composed of. Every simulation turns into
 * one stage (its spec's openStage or closedStage); open-plan.ts and
 * closed-plan.ts lay the stages end to end.
 */

/**
 * A stretch of an open plan. "Expected" iterations are the area under the
 * rate curve: fractional, continuous and non-decreasing in time. Times are
 * local: 0 is the start of the stage.
 */
export interface OpenStage {
  readonly durationMs: number
  /** The area under the rate over the whole stage (may be fractional). */
  readonly expectedIterations: number
  /** The rate (iterations per ms) the stage ends at: where a following ramp starts. */
  readonly endRatePerMs: number
  /** The area under the rate over [0, localMs]. */
  expectedBy(localMs: number): number
  /** The local time at which expectedBy reaches `expected` (0 <= expected < expectedIterations). */
  timeOfExpected(expected: number): number
  /** Whether expectedBy keeps growing just after localMs: false in a pause or at rate 0. */
  risesAfter(localMs: number): boolean
  /** The rate in iterations per ms at localMs. */
  ratePerMsAt(localMs: number): number
}

/**
 * A stretch of a closed plan. Unlike open stages, times are absolute (ms
 * after the plan's start): a scheduler calls copiesAt(changePoint) with the
 * very number changePointsMs() returned, and `start + local` computed twice
 * need not round the same way.
 */
export interface ClosedStage {
  readonly startMs: number
  readonly durationMs: number
  /** Copies at startMs. */
  readonly startCopies: number
  /** Copies just before the stage ends: where a following ramp starts. */
  readonly endCopies: number
  readonly maxCopies: number
  /** The iterations, shared by all copies, after which the stage ends (iterationsForConstant); undefined for time-bound stages. */
  readonly iterationLimit?: number
  /** Copies at tMs, for startMs <= tMs < startMs + durationMs. */
  copiesAt(tMs: number): number
  /** The times strictly inside the stage at which copiesAt changes value, ascending. */
  changePointsMs(): readonly number[]
}
