/**
 * Exact arithmetic on encoded histograms: adding is how nodes are merged,
 * subtracting is how an interval is cut out of two cumulative snapshots.
 */
import { EMPTY_HISTOGRAM, createHistogram, decodeHistogram, encodeHistogram } from './histogram.js'
import type { JsHistogram } from './histogram.js'
import { build } from 'hdr-histogram-js'

/** The histogram of every sample recorded in any of `encoded`. */
export function addHistograms(encoded: readonly string[], what = 'histogram'): string {
  const nonEmpty = encoded.filter((h) => h !== EMPTY_HISTOGRAM)
  if (nonEmpty.length === 0) return EMPTY_HISTOGRAM
  if (nonEmpty.length === 1) return nonEmpty[0] as string
  const sum = createHistogram()
  for (const part of nonEmpty) sum.add(decodeHistogram(part, what))
  return encodeHistogram(sum)
}

/**
 * The samples in `current` that are not in `previous`, where `previous` is an
 * earlier snapshot of the same cumulative histogram. Throws when it is not
 * (some bucket would go negative).
 */
export function subtractHistogram(current: string, previous: string, what = 'histogram'): string {
  if (previous === EMPTY_HISTOGRAM) return current
  if (previous === current) return EMPTY_HISTOGRAM
  return encodeHistogram(decodedDifference(current, previous, what))
}

function decodedDifference(current: string, previous: string, what: string): JsHistogram {
  const difference = decodeHistogram(current, what)
  const earlier = decodeHistogram(previous, what)
  if (earlier.totalCount > difference.totalCount) throw notAPrefix(what, earlier.totalCount, difference.totalCount)
  try {
    difference.subtract(earlier)
  } catch (error) {
    throw new Error(`${what}: the previous snapshot is not contained in the current one (${String(error)})`, { cause: error })
  }
  if (hasNegativeCount(difference)) {
    throw new Error(`${what}: the previous snapshot holds samples the current one does not; was the recorder reset between them?`)
  }
  return difference
}

function notAPrefix(what: string, previousCount: number, currentCount: number): Error {
  return new Error(
    `${what}: the previous snapshot has more samples (${previousCount}) than the current one (${currentCount}); ` +
      'was the recorder reset between them?',
  )
}

function hasNegativeCount(histogram: JsHistogram): boolean {
  for (let i = 0; i < histogram.countsArrayLength; i++) {
    if (histogram.getCountAtIndex(i) < 0) return true
  }
  return false
}

/**
 * The same samples at a coarser precision (2 significant digits: each value
 * within 1 %), for charts that need no more: a 3-digit histogram of a wide
 * latency spread encodes to ~8 KB.
 */
export function coarsenHistogram(encoded: string, significantDigits: 1 | 2 = 2, what = 'histogram'): string {
  if (encoded === EMPTY_HISTOGRAM) return encoded
  return encodeHistogram(coarseCopy(decodeHistogram(encoded, what), significantDigits))
}

function coarseCopy(source: JsHistogram, significantDigits: 1 | 2): JsHistogram {
  // Sized for the largest value up front: grown value by value (autoResize), the copy costs tens of ms.
  const coarse = build({
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: Math.max(2, source.maxValue),
    numberOfSignificantValueDigits: significantDigits,
  }) as JsHistogram
  // A plain walk over the buckets: hdr-histogram-js's recordedValuesIterator costs ~10 µs a value.
  for (let index = 0; index < source.countsArrayLength; index++) {
    const count = source.getCountAtIndex(index)
    if (count > 0) coarse.recordValueWithCount(source.highestEquivalentValue(source.valueFromIndex(index)), count)
  }
  return coarse
}
