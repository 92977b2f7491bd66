/**
 * A histogram with the exact figures kept beside it (count, sum, sum of
 * squares, min, max): recording on the hot path, and the arithmetic on the
 * serialized form (merging nodes, cutting an interval out of two cumulative
 * snapshots). Percentiles stay with the histogram; everything a histogram's
 * buckets would only approximate is held here exactly.
 */
import { addHistograms, subtractHistogram } from './histogram-arithmetic.js'
import { createRecordingHistogram, EMPTY_HISTOGRAM, encodeHistogram, MAX_RECORDABLE_VALUE, type Histogram } from './histogram.js'
import type { SerializedDistribution } from './types.js'

export const EMPTY_DISTRIBUTION: SerializedDistribution = Object.freeze({
  histogram: EMPTY_HISTOGRAM,
  count: 0,
  sum: 0,
  sumOfSquares: 0,
  min: 0,
  max: 0,
  saturatedCount: 0,
})

/** What a recorder saw in one interval of a time series, which cumulative snapshots cannot give back. */
export interface Extremes {
  readonly min: number
  readonly max: number
  /** The interval's values (3 significant digits, as the totals), where the recorder keeps them (latency). */
  readonly histogram?: string
}

export interface DistributionRecorderOptions {
  /**
   * Also record into a histogram of the current time-series interval (3
   * significant digits, as the totals: a window of points then reads the
   * same percentiles as the raw samples, within 0.1 %), handed over and
   * reset by takeExtremes(): a point
   * then costs one small encode instead of cutting two cumulative
   * histograms apart (tens of ms, on the event loop, at every point).
   */
  readonly intervalHistogram?: boolean
}

/**
 * The value a recorder keeps for a measured number: an integer of 0 or more.
 * Negative and NaN become 0 (a clock that steps back must not crash a run),
 * fractions are rounded, and nothing is capped (the histogram caps, see
 * DistributionRecorder); only what is not a number at all is held at 2^53.
 */
export function toExactValue(value: number): number {
  if (!(value > 0)) return 0
  return value < Number.MAX_SAFE_INTEGER ? Math.round(value) : Number.MAX_SAFE_INTEGER
}

export class DistributionRecorder {
  private readonly histogram: Histogram = createRecordingHistogram()
  private readonly intervalHistogram: Histogram | undefined
  private count = 0
  private sum = 0
  private sumOfSquares = 0
  private min = Number.POSITIVE_INFINITY
  private max = 0
  private saturatedCount = 0
  // Since the previous takeExtremes(): a time-series point's min and max cannot be cut out of cumulative ones.
  private intervalMin = Number.POSITIVE_INFINITY
  private intervalMax = 0

  constructor(options: DistributionRecorderOptions = {}) {
    this.intervalHistogram = options.intervalHistogram === true ? createRecordingHistogram() : undefined
  }

  /** Records one value, already made exact by toExactValue. */
  record(value: number): void {
    this.count++
    this.sum += value
    this.sumOfSquares += value * value
    if (value < this.min) this.min = value
    if (value > this.max) this.max = value
    if (value < this.intervalMin) this.intervalMin = value
    if (value > this.intervalMax) this.intervalMax = value
    const recordable = value > MAX_RECORDABLE_VALUE ? MAX_RECORDABLE_VALUE : value
    if (recordable !== value) this.saturatedCount++
    this.histogram.recordValue(recordable)
    if (this.intervalHistogram !== undefined) this.intervalHistogram.recordValue(recordable)
  }

  /** Records `times` copies of one value (response sizes come in runs of one size). */
  recordRun(value: number, times: number): void {
    this.count += times
    this.sum += value * times
    this.sumOfSquares += value * value * times
    if (value < this.min) this.min = value
    if (value > this.max) this.max = value
    if (value < this.intervalMin) this.intervalMin = value
    if (value > this.intervalMax) this.intervalMax = value
    const recordable = value > MAX_RECORDABLE_VALUE ? MAX_RECORDABLE_VALUE : value
    if (recordable !== value) this.saturatedCount += times
    this.histogram.recordValueWithCount(recordable, times)
    if (this.intervalHistogram !== undefined) this.intervalHistogram.recordValueWithCount(recordable, times)
  }

  reset(): void {
    this.count = 0
    this.sum = 0
    this.sumOfSquares = 0
    this.min = Number.POSITIVE_INFINITY
    this.max = 0
    this.saturatedCount = 0
    this.intervalMin = Number.POSITIVE_INFINITY
    this.intervalMax = 0
    this.histogram.reset()
    this.intervalHistogram?.reset()
  }

  /** The exact scalars, and the histogram unless `withHistogram` is false (a time-series snapshot needs none). */
  serialize(withHistogram = true): SerializedDistribution {
    if (this.count === 0) return EMPTY_DISTRIBUTION
    return {
      histogram: withHistogram ? encodeHistogram(this.histogram) : EMPTY_HISTOGRAM,
      count: this.count,
      sum: this.sum,
      sumOfSquares: this.sumOfSquares,
      min: this.min,
      max: this.max,
      saturatedCount: this.saturatedCount,
    }
  }

  /** Min and max (both 0 when nothing was recorded) and the interval histogram since the previous call; starts a new interval. */
  takeExtremes(): Extremes {
    const recorded = this.intervalMax >= this.intervalMin
    const min = recorded ? this.intervalMin : 0
    const max = recorded ? this.intervalMax : 0
    this.intervalMin = Number.POSITIVE_INFINITY
    this.intervalMax = 0
    const interval = this.intervalHistogram
    if (interval === undefined) return { min, max }
    const histogram = encodeHistogram(interval)
    interval.reset()
    return { min, max, histogram }
  }

  /** Frees the WASM memory. Call once; the owner guards against repeats. */
  destroy(): void {
    this.histogram.destroy()
    this.intervalHistogram?.destroy()
  }
}

/** Every value of every part: exact, as if one recorder had seen them all. */
export function mergeDistributions(parts: readonly SerializedDistribution[], what: string): SerializedDistribution {
  const recorded = parts.filter((part) => part.count > 0)
  if (recorded.length === 0) return EMPTY_DISTRIBUTION
  if (recorded.length === 1) return recorded[0] as SerializedDistribution
  let count = 0
  let sum = 0
  let sumOfSquares = 0
  let min = Number.POSITIVE_INFINITY
  let max = 0
  let saturatedCount = 0
  for (const part of recorded) {
    count += part.count
    sum += part.sum
    sumOfSquares += part.sumOfSquares
    min = Math.min(min, part.min)
    max = Math.max(max, part.max)
    saturatedCount += part.saturatedCount
  }
  const histogram = addHistograms(
    recorded.map((part) => part.histogram),
    what,
  )
  return { histogram, count, sum, sumOfSquares, min, max, saturatedCount }
}

/**
 * What was recorded after `previous` and up to `current`, two cumulative
 * snapshots of one recorder. Min and max of the interval come from
 * `extremes` (the recorder's own, taken with `current`); without them the
 * cumulative min and max stand in, as bounds.
 */
/**
 * How an interval's histogram is made: from the two snapshots' (their exact
 * difference), from what the recorder kept for the interval
 * (`extremes.histogram`), or none.
 */
export type HistogramDifference = (current: string, previous: string, what: string, extremes: Extremes | undefined) => string

export function subtractDistribution(
  current: SerializedDistribution,
  previous: SerializedDistribution,
  extremes: Extremes | undefined,
  what: string,
  histogramDifference: HistogramDifference = subtractHistogram,
): SerializedDistribution {
  const count = difference(current.count, previous.count, `${what} count`)
  if (count === 0) return EMPTY_DISTRIBUTION
  const histogram = histogramDifference(current.histogram, previous.histogram, what, extremes)
  return {
    histogram,
    count,
    sum: difference(current.sum, previous.sum, `${what} sum`),
    // Sums of squares are doubles: a difference may come out a hair below 0.
    sumOfSquares: Math.max(0, current.sumOfSquares - previous.sumOfSquares),
    min: extremes?.min ?? current.min,
    max: extremes?.max ?? current.max,
    saturatedCount: difference(current.saturatedCount, previous.saturatedCount, `${what} saturatedCount`),
  }
}

export function difference(current: number, previous: number, what: string): number {
  if (current < previous) {
    throw new Error(
      `${what} went down from ${previous} to ${current}; the previous snapshot must be an earlier snapshot ` +
        'of the same recorder, taken after its last reset()',
    )
  }
  return current - previous
}
