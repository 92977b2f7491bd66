/**
 * Rebuilds the stats a user reads from their serialized form. Exact figures
 * (count, min, max, mean, stdDev, totals) come from the scalars kept beside
 * each histogram; percentiles from the histogram, decoded on first use and
 * cached, so reading the ok count of a scenario never pays for decoding its
 * latency histogram.
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
  SerializedDistribution,
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
    window: serialized.window,
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
    allRequestRps: ratePerSecond(allRequestCount, durationMs),
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
      rps: ratePerSecond(measurement.count, durationMs),
      percent: percentOf(measurement.count, allRequestCount),
    },
    latencyMs: new DistributionLatencyStats(new DistributionReader(measurement.latencyUs, `latency of ${what}`)),
    dataTransferBytes: new DistributionDataTransferStats(new DistributionReader(measurement.bytes, `sizes of ${what}`)),
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

function optionalLatency(distribution: SerializedDistribution | undefined, what: string): LatencyStats | undefined {
  return distribution === undefined ? undefined : new DistributionLatencyStats(new DistributionReader(distribution, what))
}

/** Per second over a window in ms (exact when the window is: 99 requests in 2000 ms is 49.5). */
function ratePerSecond(count: number, durationMs: number): number {
  return durationMs > 0 ? (count * 1000) / durationMs : 0
}

function percentOf(count: number, total: number): number {
  return total > 0 ? (count / total) * 100 : 0
}

function byCountDescending<T extends { readonly count: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => b.count - a.count) // stable: ties keep their first-seen order
}

/** p50, p99 and max of a distribution of µs, in ms, read as every latency is read. */
export function delaySummaryMs(distribution: SerializedDistribution, what: string): { p50: number; p99: number; max: number } {
  const reader = new DistributionReader(distribution, what)
  return { p50: reader.percentile(50, US_PER_MS), p99: reader.percentile(99, US_PER_MS), max: reader.max(US_PER_MS) }
}

/**
 * One distribution as read: the exact scalars as they are, percentiles from
 * the histogram (decoded on first use), held inside [min, max] so the top
 * bucket's width never shows as a max above the largest value recorded.
 */
class DistributionReader {
  private decoded: JsHistogram | undefined

  constructor(
    readonly distribution: SerializedDistribution,
    private readonly what: string,
  ) {}

  get count(): number {
    return this.distribution.count
  }

  /** Value at percentile p in [0, 100], scaled; 0 when nothing was recorded. */
  percentile(p: number, scale: number): number {
    if (!(p >= 0 && p <= 100)) {
      throw new RangeError(`percentile(p): p must be in [0, 100] (0 is min, 100 is max), got ${p}`)
    }
    const { count, min, max } = this.distribution
    if (count === 0) return 0
    if (p === 0) return min / scale
    if (p === 100) return max / scale
    this.decoded ??= decodeHistogram(this.distribution.histogram, this.what)
    // A time-series point keeps no size histogram: its percentiles are unknown, not 0.
    if (this.decoded.totalCount === 0) return Number.NaN
    return Math.min(max, Math.max(min, this.decoded.getValueAtPercentile(p))) / scale
  }

  min(scale: number): number {
    return this.distribution.min / scale
  }

  max(scale: number): number {
    return this.distribution.max / scale
  }

  mean(scale: number): number {
    const { count, sum } = this.distribution
    return count === 0 ? 0 : sum / count / scale
  }

  stdDev(scale: number): number {
    const { count, sum, sumOfSquares } = this.distribution
    if (count === 0) return 0
    const mean = sum / count
    // Population variance; rounding can leave a hair below 0 when every value is the same.
    return Math.sqrt(Math.max(0, sumOfSquares / count - mean * mean)) / scale
  }

  total(): number {
    return this.distribution.sum
  }
}

/** Latency in ms (µs resolution) of a distribution recorded in µs. */
class DistributionLatencyStats implements LatencyStats {
  constructor(private readonly source: DistributionReader) {}

  get count(): number {
    return this.source.count
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

/** Response sizes in bytes. */
class DistributionDataTransferStats implements DataTransferStats {
  constructor(private readonly source: DistributionReader) {}

  get total(): number {
    return this.source.total()
  }
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
