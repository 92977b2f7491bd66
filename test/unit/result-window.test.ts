/**
 * result.window(): two nodes record known latencies interval by interval,
 * their time-series points are taken as the engine takes them, merged as a
 * coordinator merges them, and the window's figures are checked against
 * figures computed by hand from the same samples.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createRunResult, type SerializedRunResult } from '../../src/index.js'
import { mergeRunResults } from '../../src/result/merge.js'
import type { SeriesPoint } from '../../src/result/result.js'
import { initHistograms, intervalStats } from '../../src/stats/index.js'
import { SERIES_HISTOGRAMS } from '../../src/stats/series.js'
import type { SerializedScenarioStats } from '../../src/stats/types.js'
import { destroyRecorders, recorder } from './stats-helpers.js'

const INTERVAL_MS = 1000
const INTERVALS = 6

beforeAll(() => initHistograms())
afterEach(destroyRecorders)

/** A seeded generator: the same samples every run. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

/** Latencies in µs per node and interval: a slow start, then a spread over 1..20 ms, node 1 slower than node 0. */
function latenciesUs(node: number, interval: number, next: () => number): number[] {
  const count = 300 + 100 * node + 37 * interval
  return Array.from({ length: count }, () => {
    if (interval < 2) return Math.round(100_000 + next() * 5000)
    return Math.round(Math.exp(Math.log(1000) + next() * Math.log(20)) * (1 + node * 0.3))
  })
}

/** One node's run: its points taken the way the engine's series collector takes them. */
function nodeRun(node: number, samples: number[][]): SerializedRunResult {
  const r = recorder('checkout')
  const points: SeriesPoint[] = []
  let previous: SerializedScenarioStats | undefined
  const next = random(17 + node)
  for (let index = 0; index < INTERVALS; index++) {
    const interval = latenciesUs(node, index, next)
    samples[index]?.push(...interval)
    for (const latencyUs of interval) r.recordOk(latencyUs, 100, 200, '')
    if (index % 3 === 0) r.recordFail(7000, 0, 500, 'boom')
    const endMs = (index + 1) * INTERVAL_MS
    const current = r.serialize(endMs, { startMs: 0, endMs, pausedMs: 0 }, { histograms: false })
    const stats = intervalStats(previous, current, r.takeExtremes(), SERIES_HISTOGRAMS)
    points.push({ index, startMs: index * INTERVAL_MS, durationMs: INTERVAL_MS, scenarios: [stats] })
    previous = current
  }
  const totalMs = INTERVALS * INTERVAL_MS
  return {
    version: 2,
    startedAt: '2026-12-02T00:00:00.000Z',
    durationMs: totalMs,
    incomplete: false,
    nodes: [],
    warnings: [],
    reportFiles: [],
    scenarios: [r.serialize(totalMs, { startMs: 0, endMs: totalMs, pausedMs: 0 })],
    timeSeries: { intervalMs: INTERVAL_MS, points },
  }
}

/** Nearest rank, as an HDR histogram ranks (its value at p is the sample at rank ceil(p % of n)), in ms. */
function percentileMs(sortedUs: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p * sortedUs.length) / 100 - 1e-9))
  return (sortedUs[rank - 1] ?? 0) / 1000
}

function runOfTwoNodes(): { result: ReturnType<typeof createRunResult>; samples: number[][] } {
  const samples = Array.from({ length: INTERVALS }, (): number[] => [])
  const result = createRunResult(mergeRunResults([nodeRun(0, samples), nodeRun(1, samples)]))
  return { result, samples }
}

describe('result.window', () => {
  it("reads the percentiles of the span's raw samples within 1 %, and its counts, mean, min, max and rps exactly", () => {
    const { result, samples } = runOfTwoNodes()
    const window = result.window('2s', 5)
    const inSpan = samples.slice(2, 5).flat().sort((a, b) => a - b)
    const stats = window.getScenarioStats('checkout')
    for (const p of [50, 75, 95, 99, 99.9]) {
      const expected = percentileMs(inSpan, p)
      expect(Math.abs(stats.ok.latencyMs.percentile(p) - expected), `p${p}`).toBeLessThanOrEqual(expected * 0.01)
    }
    expect([stats.ok.latencyMs.p50, stats.ok.latencyMs.p99]).toEqual([stats.ok.latencyMs.percentile(50), stats.ok.latencyMs.percentile(99)])
    expect(stats.ok.request.count).toBe(inSpan.length)
    expect(stats.ok.latencyMs.min).toBe((inSpan[0] ?? 0) / 1000)
    expect(stats.ok.latencyMs.max).toBe((inSpan[inSpan.length - 1] ?? 0) / 1000)
    const meanMs = inSpan.reduce((sum, value) => sum + value, 0) / inSpan.length / 1000
    expect(stats.ok.latencyMs.mean).toBeCloseTo(meanMs, 9)
    // Interval 3 is the only one of the span with failures: one on each node.
    expect(stats.fail.request.count).toBe(2)
    expect(stats.durationMs).toBe(3000)
    expect(stats.allRequestRps).toBeCloseTo((inSpan.length + 2) / 3, 9)
    expect(window.durationMs).toBe(3000)
    expect(window.timeSeries.map((point) => point.index)).toEqual([2, 3, 4])
  })

  it('judges the steady state that the whole run hides', () => {
    const { result } = runOfTwoNodes()
    expect(result.getScenarioStats('checkout').ok.latencyMs.p99).toBeGreaterThan(100)
    expect(result.window('2s').getScenarioStats('checkout').ok.latencyMs.p99).toBeLessThan(30)
  })

  it('over the whole run reads the very percentiles of the totals', () => {
    const { result } = runOfTwoNodes()
    const whole = result.getScenarioStats('checkout')
    const window = result.window(0).getScenarioStats('checkout')
    for (const p of [50, 75, 95, 99, 99.9, 100]) expect(window.ok.latencyMs.percentile(p)).toBe(whole.ok.latencyMs.percentile(p))
    expect(window.ok.request.count).toBe(whole.ok.request.count)
    expect(window.fail.request.count).toBe(whole.fail.request.count)
  })

  it("counts an interval in the window that holds its midpoint, and windows a window", () => {
    const { result } = runOfTwoNodes()
    expect(result.window('2.4s', '4.4s').timeSeries.map((point) => point.index)).toEqual([2, 3])
    expect(result.window('2.6s').timeSeries.map((point) => point.index)).toEqual([3, 4, 5])
    expect(result.window(1).window(3, 4).timeSeries.map((point) => point.index)).toEqual([3])
  })

  it('says what is wrong with a window that holds nothing or runs backwards', () => {
    const { result } = runOfTwoNodes()
    expect(() => result.window('90s')).toThrow(
      'result.window(): no interval of the run lies in the window from 90.0 s on (an interval counts when its midpoint does); its time series covers 0 s to 6.0 s in 1000 ms intervals',
    )
    expect(() => result.window(3, 2)).toThrow('"to" must come after "from", got 3.0 s and 2.0 s')
    expect(() => result.window('soon')).toThrow(/result.window: "from" must be a duration/)
  })
})
