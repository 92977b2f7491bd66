/**
 * What a time-series point costs and what a window of points reads
 * (docs/budgets.md): the encoded size of one interval's latency histogram
 * at 2 and 3 significant digits, and how far the percentiles of a window of
 * 10 such intervals, added up, lie from the raw samples' (nearest rank).
 * Deterministic (seeded samples): the figures do not depend on the machine.
 */
import { coarsenHistogram, addHistograms } from '../src/stats/histogram-arithmetic.js'
import { createRecordingHistogram, decodeHistogram, encodeHistogram, initHistograms } from '../src/stats/histogram.js'
import { figure, note } from './support/report.js'

const SPREADS = {
  lognormal5ms: (next: () => number) => Math.exp(Math.log(5000) + 0.5 * Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next())),
  wide50usTo5s: (next: () => number) => Math.exp(Math.log(50) + next() * Math.log(1e5)),
} as const

export async function seriesBench(): Promise<void> {
  await initHistograms()
  note('series: bytes of one interval latency histogram (compressed base64) and the worst percentile error of a 10-interval window, p50..p99.9')
  for (const [spread, sample] of Object.entries(SPREADS)) {
    for (const perInterval of [100, 1000, 10_000, 100_000]) {
      const next = seeded(perInterval)
      const raw: number[] = []
      const intervals: string[] = []
      for (let interval = 0; interval < 10; interval++) {
        const histogram = createRecordingHistogram()
        for (let i = 0; i < perInterval; i++) {
          const value = Math.round(sample(next))
          raw.push(value)
          histogram.recordValue(value)
        }
        intervals.push(encodeHistogram(histogram))
        histogram.destroy()
      }
      raw.sort((a, b) => a - b)
      const name = `series.${spread}.${perInterval}`
      figure(`${name}.bytes_3_digits`, intervals[0]?.length ?? 0, 'B')
      figure(`${name}.bytes_2_digits`, coarsenHistogram(intervals[0] ?? '').length, 'B')
      figure(`${name}.window_error_3_digits`, worstError(addHistograms(intervals), raw) * 100, '%')
      figure(`${name}.window_error_2_digits`, worstError(addHistograms(intervals.map((encoded) => coarsenHistogram(encoded))), raw) * 100, '%')
    }
  }
}

function worstError(encoded: string, sortedRaw: readonly number[]): number {
  const histogram = decodeHistogram(encoded)
  let worst = 0
  for (const p of [50, 75, 90, 95, 99, 99.9]) {
    // Nearest rank; the epsilon keeps 99.9 % of 1000 at rank 999 (0.999 * 1000 is 999.0000000000001 in floating point).
    const expected = sortedRaw[Math.max(1, Math.ceil((p * sortedRaw.length) / 100 - 1e-9)) - 1] ?? 0
    worst = Math.max(worst, Math.abs(histogram.getValueAtPercentile(p) - expected) / expected)
  }
  return worst
}

function seeded(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}
