import { describe, expect, it } from 'vitest'
import { EMPTY_HISTOGRAM, createHistogram, decodeHistogram, encodeHistogram } from '../../src/stats/histogram.js'
import { coarsenHistogram } from '../../src/stats/histogram-arithmetic.js'

describe('coarsenHistogram (time-series points)', () => {
  it('keeps every sample and each percentile within 1 %, in a fraction of the bytes', () => {
    const fine = createHistogram()
    // A wide spread: 50 µs .. 5 s, log-uniform, the worst case for encoded size.
    for (let i = 0; i < 200_000; i++) fine.recordValue(Math.round(50 * 100_000 ** ((i * 0.618034) % 1)))
    const encoded = encodeHistogram(fine)
    const coarse = coarsenHistogram(encoded)
    const decoded = decodeHistogram(coarse)
    expect(decoded.totalCount).toBe(fine.totalCount)
    for (const p of [50, 90, 95, 99, 99.9]) {
      const exact = fine.getValueAtPercentile(p)
      expect(Math.abs(decoded.getValueAtPercentile(p) - exact) / exact).toBeLessThan(0.01)
    }
    expect(coarse.length).toBeLessThan(encoded.length / 2)
  })

  it('leaves an empty histogram as it is', () => {
    expect(coarsenHistogram(EMPTY_HISTOGRAM)).toBe(EMPTY_HISTOGRAM)
  })
})
