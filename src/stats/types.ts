/**
 * Public shape of measured statistics. Everything a user reads from a
 * `RunResult` is one of these; everything that crosses the wire or lands in
 * a JSON report is a `SerializedStats`, from which the rest is rebuilt.
 */

export type StatusCode = string

/**
 * Latency of one kind of request (ok or fail), in milliseconds, µs
 * resolution. count, min, mean, max and stdDev are exact; percentiles come
 * from the HDR histogram (3 significant digits), held inside [min, max].
 */
export interface LatencyStats {
  readonly count: number
  readonly min: number
  readonly mean: number
  readonly max: number
  /** Population standard deviation. */
  readonly stdDev: number
  readonly p50: number
  readonly p75: number
  readonly p95: number
  readonly p99: number
  /** Any percentile, p in [0, 100]: 0 is min, 100 is max; 0 when nothing was recorded. */
  percentile(p: number): number
}

/** Response sizes in bytes: total, min, mean and max exact, percentiles from the histogram. */
export interface DataTransferStats {
  /** Exact sum of the sizes. */
  readonly total: number
  readonly min: number
  readonly mean: number
  readonly max: number
  readonly p50: number
  readonly p75: number
  readonly p95: number
  readonly p99: number
  percentile(p: number): number
}

export interface RequestCountStats {
  readonly count: number
  /** These requests (ok, or failed) per second over the measured window: count / durationMs. */
  readonly rps: number
  /** Share of all requests of this scenario/step, 0..100. */
  readonly percent: number
}

export interface MeasurementStats {
  readonly request: RequestCountStats
  readonly latencyMs: LatencyStats
  readonly dataTransferBytes: DataTransferStats
}

export interface StatusCodeStats {
  readonly statusCode: StatusCode
  readonly isError: boolean
  readonly count: number
  /** Share of all requests, 0..100. */
  readonly percent: number
  /** The first message seen with this code (may be empty). */
  readonly message: string
}

export interface ErrorStats {
  readonly message: string
  readonly statusCode: StatusCode
  readonly count: number
}

interface CommonStats {
  readonly scenarioName: string
  readonly ok: MeasurementStats
  readonly fail: MeasurementStats
  /** ok + fail */
  readonly allRequestCount: number
  /** All requests (ok + fail) per second over the measured window; `ok.request.rps` counts ok ones only. */
  readonly allRequestRps: number
  readonly statusCodes: readonly StatusCodeStats[]
  /** Failed requests grouped by (status code, message), most frequent first. */
  readonly errors: readonly ErrorStats[]
  /** Length of the measured window in ms (warm-up, pauses and the graceful-stop drain excluded). */
  readonly durationMs: number
}

export interface StepStats extends CommonStats {
  readonly kind: 'step'
  readonly stepName: string
}

export interface ScenarioStats extends CommonStats {
  readonly kind: 'scenario'
  /** Where the measured window lies in the node's run (merged: the common window of every node). */
  readonly window: MeasuredWindow
  /** Open model: iterations that were due but could not be started. */
  readonly droppedIterations: number
  /**
   * Open model: time from the actual start of an iteration to its end (the
   * target's service time), next to `ok.latencyMs` which is measured from the
   * intended start. Undefined for closed models, where both are the same.
   */
  readonly serviceTimeMs: LatencyStats | undefined
  /** Open model: how late iterations started behind their schedule (every started iteration, whatever its outcome). */
  readonly startLagMs: LatencyStats | undefined
  readonly stepStats: readonly StepStats[]
  getStepStats(stepName: string): StepStats
  /** The serialized form these stats were built from (histograms included). */
  readonly serialized: SerializedScenarioStats
}

/**
 * One measured quantity of one kind of request: its HDR histogram (compressed
 * base64; µs for latency, bytes for sizes) and the exact figures kept beside
 * it, which the histogram's buckets cannot give back (docs/numbers.md).
 */
export interface SerializedDistribution {
  readonly histogram: string
  readonly count: number
  /** Sum of the recorded values: integers, exact up to 2^53. */
  readonly sum: number
  /** Sum of their squares (for stdDev), in double precision. */
  readonly sumOfSquares: number
  /** Smallest and largest recorded value; 0 when nothing was recorded. */
  readonly min: number
  readonly max: number
  /**
   * Values above MAX_RECORDABLE_VALUE: the histogram holds them at that
   * value (its percentiles stop there), every other field holds them exactly.
   */
  readonly saturatedCount: number
}

export interface SerializedMeasurement {
  readonly count: number
  readonly latencyUs: SerializedDistribution
  readonly bytes: SerializedDistribution
}

export interface SerializedStatusCode {
  readonly statusCode: StatusCode
  readonly isError: boolean
  readonly count: number
  readonly message: string
}

export interface SerializedCommonStats {
  readonly ok: SerializedMeasurement
  readonly fail: SerializedMeasurement
  readonly statusCodes: readonly SerializedStatusCode[]
  readonly errors: readonly ErrorStats[]
}

export interface SerializedStepStats extends SerializedCommonStats {
  readonly stepName: string
}

/**
 * Where a scenario's measured window lies, in ms after the node's load start
 * (the time series' origin): it starts after the warm-up and ends at the end
 * of the plan, the stop, or the last iteration of an iteration-count plan.
 * `durationMs` of the stats is `endMs - startMs - pausedMs`.
 */
export interface MeasuredWindow {
  readonly startMs: number
  readonly endMs: number
  /** Time inside [startMs, endMs] spent in pause stages. */
  readonly pausedMs: number
}

export interface SerializedScenarioStats extends SerializedCommonStats {
  readonly version: 2
  readonly scenarioName: string
  /** Length of the measured window (pauses excluded): what rps divides by. */
  readonly durationMs: number
  readonly window: MeasuredWindow
  readonly droppedIterations: number
  /** Present for open models. */
  readonly serviceTimeUs: SerializedDistribution | undefined
  readonly startLagUs: SerializedDistribution | undefined
  readonly steps: readonly SerializedStepStats[]
}
