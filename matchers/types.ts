/**
 * The matchers' public shape, shared by every test runner's type
 * augmentation (vitest4.ts, .vitest5.d.ts; Jest's `expect` module takes the
 * same interface). `R` is what a matcher call returns in that runner.
 */

/** What every runner's asymmetric matchers have in common (`expect.any(Number)`, `expect.closeTo(3, 0)`). */
export interface AsymmetricMatcherLike {
  asymmetricMatch(other: unknown): boolean
}

/** Limits for toHaveHealthyLoadGenerator; each one left out keeps its default. */
export interface LoadGeneratorLimits {
  /** Default 50. */
  readonly eventLoopDelayP99Ms?: number
  /** Share of one core, default 0.9. */
  readonly cpuShare?: number
  /** Default 50. */
  readonly startLagP99Ms?: number
}

/** Tolerances for toMatchLoadBaseline; each one left out keeps its default. */
export interface LoadBaselineTolerances {
  /** Share a latency percentile may grow by; default 0.1 (+10 %). */
  readonly latency?: number
  /** The least latency growth in ms that counts; default 1. */
  readonly latencyMinMs?: number
  /** Fail-rate points it may grow by, as a fraction; default 0.01 (+1 point). */
  readonly failRate?: number
  /** Share rps may drop by; default 0.1 (−10 %). */
  readonly rps?: number
}

/** An exact count, or an asymmetric matcher the count must satisfy. */
export type CountExpectation = number | AsymmetricMatcherLike

/**
 * Each matcher accepts a RunResult with exactly one scenario, a scenario's
 * stats (`result.getScenarioStats(name)`) or a step's stats. Latencies are
 * those of ok requests, in ms; "below" is strict; a rate is a fraction
 * (0.01 is 1 %).
 */
export interface LoadspecMatchers<R> {
  /** The p-th percentile (p in (0, 100]) of ok latency is below `ms`: `toHavePercentileBelow(99, 250)`. */
  toHavePercentileBelow(percentile: number, ms: number): R
  /** Exactly `count` responses (ok or failed) had this status code: `toHaveStatusCodeCount(500, 0)`. */
  toHaveStatusCodeCount(statusCode: number | string, count: CountExpectation): R
  /** Failed requests / all requests is below `rate`, a fraction in (0, 1]: `toHaveFailRateBelow(0.01)`. */
  toHaveFailRateBelow(rate: number): R
  toHaveFailCount(count: CountExpectation): R
  toHaveOkCount(count: CountExpectation): R
  /** Ok requests per second over the measured window are at least `rps`. */
  toHaveRpsAtLeast(rps: number): R
  toHaveMeanLatencyBelow(ms: number): R
  toHaveMaxLatencyBelow(ms: number): R
  /** Open model: every iteration due started on time (see ScenarioStats.droppedIterations). */
  toHaveNoDroppedIterations(): R
  /**
   * A RunResult only: no node's load generator was saturated (event-loop
   * delay p99, CPU share of a core, open-model start lag p99 within the
   * limits of docs/budgets.md, or tighter ones), so its timing can be trusted.
   */
  toHaveHealthyLoadGenerator(limits?: LoadGeneratorLimits): R
  /**
   * A RunResult (every scenario) or a scenario's stats, against the baseline
   * an earlier run wrote to `__load_baselines__/<test file>.json`, like
   * toMatchSnapshot: the first run writes it, `-u` rewrites it, CI never
   * writes one. Fails when ok p50/p95/p99, the fail rate or rps got worse
   * beyond the tolerances (docs/budgets.md).
   */
  toMatchLoadBaseline(tolerances?: LoadBaselineTolerances): R
}

/**
 * The part of a runner's matcher context the matchers use. Vitest's and
 * Jest's `MatcherState` both provide it; `equals` is what makes asymmetric
 * counts work.
 */
export interface MatcherContext {
  /** Jest declares it optional (unset outside `.not`); Vitest always sets it. */
  readonly isNot?: boolean
  equals(actual: unknown, expected: unknown): boolean
}

export interface MatcherResult {
  readonly pass: boolean
  readonly message: () => string
}
