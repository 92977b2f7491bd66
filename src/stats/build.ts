/**
 * Rebuilds the stats a user reads from their serialized form. Histograms are
 * decoded on first use and cached, so reading the ok count of a scenario
 * never pays for decoding its latency histogram.
 */
import { decodeHistogram } from './histogram.js'
import type { JsHistogram } from './histogram.js'
import type {
  DataTransferStats,
  ErrorStats,
  LatencyStats,
  MeasurementStats,
  ScenarioStats,
  SerializedCommonStats,
  SerializedMeasurement,
  SerializedScenarioStats,
  SerializedStepStats,
  StatusCodeStats,
  StepStats,
} from './types.js'

const US_PER_MS = 1000

export function buildScenarioStats(serialized: SerializedScenarioStats): ScenarioStats {
  const { scenarioName, durationMs } = serialized
  const where = `scenario '${scenarioName}'`
  const stepStats = serialized.steps.map((step) => buildStepStats(scenarioName, step, durationMs))
  return {
    kind: 'scenario',
    ...buildCommonStats(scenarioName, serialized, durationMs, where),
    droppedIterations: serialized.droppedIterations,
    serviceTimeMs: optionalLatency(serialized.serviceTimeUs, `service time of ${where}`),
    startLagMs: optionalLatency(serialized.startLagUs, `start lag of ${where}`),
    stepStats,
    getStepStats(stepName: string): StepStats {
      const found = stepStats.find((step) => step.stepName === stepName)
      if (found !== undefined) return found
      const known = stepStats.map((step) => `'${step.stepName}'`).join(', ') || 'none'
      throw new Error(`Scenario '${scenarioName}' has no step '${stepName}'. Known steps: ${known}`)
    },
    serialized,
  }
}

/** Stats of one step; `durationMs` is its scenario's measured window. */
export function buildStepStats(scenarioName: string, step: SerializedStepStats, durationMs: number): StepStats {
  return {
    kind: 'step',
    stepName: step.stepName,
    ...buildCommonStats(scenarioName, step, durationMs, `step '${step.stepName}' of scenario '${scenarioName}'`),
  }
}

function buildCommonStats(scenarioName: string, common: SerializedCommonStats, durationMs: number, where: string) {
  const allRequestCount = common.ok.count + common.fail.count
  return {
    scenarioName,
    ok: buildMeasurement(common.ok, allRequestCount, durationMs, `ok requests of ${where}`),
    fail: buildMeasurement(common.fail, allRequestCount, durationMs, `failed requests of ${where}`),
    allRequestCount,
    statusCodes: buildStatusCodes(common, allRequestCount),
    errors: byCountDescending(common.errors).map((group): ErrorStats => ({ ...group })),
    durationMs,
  }
}

function buildMeasurement(
  measurement: SerializedMeasurement,
  allRequestCount: number,
  durationMs: number,
  what: string,
): MeasurementStats {
  return {
    request: {
      count: measurement.count,
      rps: durationMs > 0 ? (measurement.count / durationMs) * 1000 : 0,
      percent: percentOf(measurement.count, allRequestCount),
    },
    latencyMs: new HistogramLatencyStats(new LazyHistogram(measurement.latencyUs, `latency of ${what}`), measurement.count),
    dataTransferBytes: new HistogramDataTransferStats(
      new LazyHistogram(measurement.bytes, `sizes of ${what}`),
      measurement.totalBytes,
    ),
  }
}

function buildStatusCodes(common: SerializedCommonStats, allRequestCount: number): StatusCodeStats[] {
  return byCountDescending(common.statusCodes).map((code) => ({
    statusCode: code.statusCode,
    isError: code.isError,
    count: code.count,
    percent: percentOf(code.count, allRequestCount),
    message: code.message,
  }))
}

function optionalLatency(encoded: string | undefined, what: string): LatencyStats | undefined {
  return encoded === undefined ? undefined : new HistogramLatencyStats(new LazyHistogram(encoded, what))
}

function percentOf(count: number, total: number): number {
  return total > 0 ? (count / total) * 100 : 0
}

function byCountDescending<T extends { readonly count: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => b.count - a.count) // stable: ties keep their first-seen order
}

/** Decodes on first use, then keeps the decoded histogram. */
class LazyHistogram {
  private decoded: JsHistogram | undefined

  constructor(
    private readonly encoded: string,
    private readonly what: string,
  ) {}

  get histogram(): JsHistogram {
    this.decoded ??= decodeHistogram(this.encoded, this.what)
    return this.decoded
  }

  /** Value at percentile p in (0, 100], scaled; 0 when nothing was recorded. */
  percentile(p: number, scale: number): number {
    if (!(p > 0 && p <= 100)) {
      throw new RangeError(`percentile(p): p must be in (0, 100], got ${p}`)
    }
    const histogram = this.histogram
    return histogram.totalCount === 0 ? 0 : histogram.getValueAtPercentile(p) / scale
  }

  min(scale: number): number {
    const histogram = this.histogram
    // Percentile 0 is the lowest recorded value, 0 included (minNonZeroValue would skip recorded zeros).
    return histogram.totalCount === 0 ? 0 : histogram.getValueAtPercentile(0) / scale
  }

  max(scale: number): number {
    const histogram = this.histogram
    return histogram.totalCount === 0 ? 0 : histogram.maxValue / scale
  }

  mean(scale: number): number {
    const histogram = this.histogram
    return histogram.totalCount === 0 ? 0 : histogram.mean / scale
  }

  stdDev(scale: number): number {
    const histogram = this.histogram
    return histogram.totalCount === 0 ? 0 : histogram.stdDeviation / scale
  }
}

/** Latency in ms (µs resolution) of a histogram recorded in µs. */
class HistogramLatencyStats implements LatencyStats {
  constructor(
    private readonly source: LazyHistogram,
    /** Known without decoding for ok/fail latency; service time and start lag ask the histogram. */
    private readonly knownCount?: number,
  ) {}

  get count(): number {
    return this.knownCount ?? this.source.histogram.totalCount
  }
  get min(): number {
    return this.source.min(US_PER_MS)
  }
  get mean(): number {
    return this.source.mean(US_PER_MS)
  }
  get max(): number {
    return this.source.max(US_PER_MS)
  }
  get stdDev(): number {
    return this.source.stdDev(US_PER_MS)
  }
  get p50(): number {
    return this.percentile(50)
  }
  get p75(): number {
    return this.percentile(75)
  }
  get p95(): number {
    return this.percentile(95)
  }
  get p99(): number {
    return this.percentile(99)
  }
  percentile(p: number): number {
    return this.source.percentile(p, US_PER_MS)
  }

  /** Plain numbers for reports and for printing (getters do not show up in JSON otherwise). */
  toJSON(): Omit<LatencyStats, 'percentile'> {
    const { count, min, mean, max, stdDev, p50, p75, p95, p99 } = this
    return { count, min, mean, max, stdDev, p50, p75, p95, p99 }
  }
}

/** Response sizes in bytes; `total` is the exact running sum, the rest comes from the histogram. */
class HistogramDataTransferStats implements DataTransferStats {
  constructor(
    private readonly source: LazyHistogram,
    readonly total: number,
  ) {}

  get min(): number {
    return this.source.min(1)
  }
  get mean(): number {
    return this.source.mean(1)
  }
  get max(): number {
    return this.source.max(1)
  }
  get p50(): number {
    return this.percentile(50)
  }
  get p75(): number {
    return this.percentile(75)
  }
  get p95(): number {
    return this.percentile(95)
  }
  get p99(): number {
    return this.percentile(99)
  }
  percentile(p: number): number {
    return this.source.percentile(p, 1)
  }

  toJSON(): Omit<DataTransferStats, 'percentile'> {
    const { total, min, mean, max, p50, p75, p95, p99 } = this
    return { total, min, mean, max, p50, p75, p95, p99 }
  }
}
