/**
 * Public shape of measured statistics. Everything a user reads from a
 * `RunResult` is one of these; everything that crosses the wire or lands in
 * a JSON report is a `SerializedStats`, from which the rest is rebuilt.
 */

export type StatusCode = string

/** Latency of one kind of request (ok or fail), in milliseconds, µs resolution. */
export interface LatencyStats {
  readonly count: number
  readonly min: number
  readonly mean: number
  readonly max: number
  readonly stdDev: number
  readonly p50: number
  readonly p75: number
  readonly p95: number
  readonly p99: number
  /** Any percentile, p in (0, 100]; 0 when nothing was recorded. */
  percentile(p: number): number
}

/** Response sizes in bytes. */
export interface DataTransferStats {
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
  /** Requests per second over the measured window (warm-up excluded). */
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
  readonly statusCodes: readonly StatusCodeStats[]
  /** Failed requests grouped by (status code, message), most frequent first. */
  readonly errors: readonly ErrorStats[]
  /** Length of the measured window in ms. */
  readonly durationMs: number
}

export interface StepStats extends CommonStats {
  readonly kind: 'step'
  readonly stepName: string
}

export interface ScenarioStats extends CommonStats {
  readonly kind: 'scenario'
  /** Open model: iterations that were due but could not be started. */
  readonly droppedIterations: number
  /**
   * Open model: time from the actual start of an iteration to its end (the
   * target's service time), next to `ok.latencyMs` which is measured from the
   * intended start. Undefined for closed models, where both are the same.
   */
  readonly serviceTimeMs: LatencyStats | undefined
  /** Open model: how late iterations started behind their schedule. */
  readonly startLagMs: LatencyStats | undefined
  readonly stepStats: readonly StepStats[]
  getStepStats(stepName: string): StepStats
  /** The serialized form these stats were built from (histograms included). */
  readonly serialized: SerializedScenarioStats
}

/** Histograms as HDR compressed base64 (values in µs for latency, bytes for sizes). */
export interface SerializedMeasurement {
  readonly count: number
  readonly latencyUs: string
  readonly bytes: string
  readonly totalBytes: number
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

export interface SerializedScenarioStats extends SerializedCommonStats {
  readonly version: 1
  readonly scenarioName: string
  readonly durationMs: number
  readonly droppedIterations: number
  /** Present for open models. */
  readonly serviceTimeUs: string | undefined
  readonly startLagUs: string | undefined
  readonly steps: readonly SerializedStepStats[]
}
