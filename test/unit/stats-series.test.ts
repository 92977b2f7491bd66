import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildScenarioStats, initHistograms, intervalStats, parseSerializedScenarioStats } from '../../src/stats/index.js'
import { EMPTY_DISTRIBUTION } from '../../src/stats/distribution.js'
import { decodeHistogram, EMPTY_HISTOGRAM } from '../../src/stats/histogram.js'
import { SERIES_HISTOGRAMS } from '../../src/stats/series.js'
import { destroyRecorders, plain, recorder } from './stats-helpers.js'

const withinOnePercent = (actual: number, expected: number): boolean => Math.abs(actual - expected) <= expected * 0.01

beforeAll(() => initHistograms())
afterEach(destroyRecorders)

describe('intervalStats', () => {
  it('equals the stats of a recorder that recorded only the interval', () => {
    const cumulative = recorder('s', true)
    const laterOnly = recorder('s', true)
    const early = (r: ReturnType<typeof recorder>) => {
      for (let i = 1; i <= 1000; i++) {
        r.recordOk(i * 10, 100, 200, 'fine')
        if (i % 100 === 0) r.recordFail(50_000, 0, 500, 'boom')
        r.recordServiceTime(i * 9)
        r.recordStartLag(i)
        r.step('login').recordOk(i, 0, 200, '')
      }
      r.recordDropped(2)
    }
    const late = (r: ReturnType<typeof recorder>) => {
      for (let i = 1; i <= 500; i++) {
        r.recordOk(200_000 + i, 300, 200, 'fine')
        if (i % 50 === 0) r.recordFail(90_000, 0, 503, 'busy')
        r.recordServiceTime(150_000)
        r.recordStartLag(5)
        r.step('pay').recordOk(i, 0, 201, '')
      }
      r.recordDropped(1)
    }
    early(cumulative)
    const first = cumulative.serialize(1000)
    cumulative.takeExtremes() // what the series collector does with every snapshot
    late(cumulative)
    late(laterOnly)
    const second = cumulative.serialize(3000)

    const interval = intervalStats(first, second, cumulative.takeExtremes())
    expect(parseSerializedScenarioStats(JSON.parse(JSON.stringify(interval)))).toEqual(interval)
    expect(interval.durationMs).toBe(2000)
    expect(interval.droppedIterations).toBe(1)
    expect(interval.steps.map((s) => [s.stepName, s.ok.count])).toEqual([
      ['login', 0],
      ['pay', 500],
    ])

    const expected = buildScenarioStats({ ...laterOnly.serialize(2000), steps: [] })
    const actual = buildScenarioStats({ ...interval, steps: [] })
    expect(interval.window).toEqual({ startMs: 1000, endMs: 3000, pausedMs: 0 })
    expect(plain(actual)).toEqual(plain({ ...expected, window: actual.window, serialized: actual.serialized }))
    expect(actual.ok.latencyMs.min).toBe(200.001) // the early samples (<= 10 ms) are gone; the interval's own min
    expect(actual.errors).toEqual([{ statusCode: '503', message: 'busy', count: 10 }])
    expect(plain(buildScenarioStats(interval).getStepStats('pay'))).toEqual(
      plain(buildScenarioStats(laterOnly.serialize(2000)).getStepStats('pay')),
    )
  })

  it('gives a time-series point the latency histogram the recorder kept for the interval, at 3 significant digits as the totals', () => {
    const r = recorder('s', true)
    for (let i = 1; i <= 100; i++) r.recordOk(i * 10, 0, 200, '')
    const first = r.serialize(1000, undefined, { histograms: false })
    intervalStats(undefined, first, r.takeExtremes(), SERIES_HISTOGRAMS)
    for (let i = 1; i <= 50; i++) r.recordOk(300_000 + i * 1000, 0, 200, '')
    const second = r.serialize(2000, undefined, { histograms: false })
    expect(second.ok.latencyUs.histogram).toBe(EMPTY_HISTOGRAM) // a snapshot of scalars only
    const point = intervalStats(first, second, r.takeExtremes(), SERIES_HISTOGRAMS)
    const latency = decodeHistogram(point.ok.latencyUs.histogram)
    expect(latency.totalCount).toBe(50)
    expect(latency.numberOfSignificantValueDigits).toBe(3)
    expect(withinOnePercent(latency.getValueAtPercentile(50), 325_000)).toBe(true)
    expect([point.ok.latencyUs.min, point.ok.latencyUs.max, point.ok.latencyUs.sum]).toEqual([301_000, 350_000, 50 * 300_000 + 1275 * 1000])
    expect(point.startLagUs).toEqual(EMPTY_DISTRIBUTION)
  })

  it('starts at the beginning without a previous snapshot', () => {
    const r = recorder()
    r.recordOk(1000, 0, 200, '')
    const only = r.serialize(10)
    expect(intervalStats(undefined, only)).toBe(only)
  })

  it('refuses snapshots that are not earlier and later views of one recorder', () => {
    const r = recorder()
    r.recordOk(1000, 0, 200, '')
    r.recordOk(2000, 0, 200, '')
    const before = r.serialize(1000)
    r.reset()
    r.recordOk(1000, 0, 200, '')
    expect(() => intervalStats(before, r.serialize(2000))).toThrow(/count went down from 2 to 1.*last reset\(\)/)
    expect(() => intervalStats(before, r.serialize(500))).toThrow(/durationMs went down/)
    expect(() => intervalStats(before, recorder('other').serialize(2000))).toThrow(
      "Cannot compute interval stats between scenarios 'checkout' and 'other'",
    )
  })
})
