/** The numbers the HTML charts draw come from the run's time series and histograms. */
import { describe, expect, test } from 'vitest'
import { createRunResult } from '../../src/index.js'
import { buildCharts, percentileCurve, scenarioChartIds, SUMMARY_LATENCY_CHART, SUMMARY_RPS_CHART, type ChartSpec } from '../../src/reports/html/chart-data.js'
import { failRequests, okRequests, scenarioStatsOf, serializedStats } from '../support/stats-builder.js'
import { AWKWARD_NAME, CHECKOUT, sampleResult, sampleSerializedResult } from './reports-fixtures.js'

function chart(charts: readonly ChartSpec[], id: string): ChartSpec {
  const found = charts.find((entry) => entry.id === id)
  if (found === undefined) throw new Error(`no chart ${id}`)
  return found
}

describe('time-series charts', () => {
  test('x is the end of each interval; each scenario\'s rps and p99 per interval, null before it was measured', async () => {
    const result = await sampleResult()
    const charts = buildCharts(result)
    const rps = chart(charts, SUMMARY_RPS_CHART)
    expect(rps.xs).toEqual([0.5, 1, 1.5, 2])
    expect(rps.series.map((series) => series.label)).toEqual([CHECKOUT, AWKWARD_NAME])
    const expected = result.timeSeries.map((point) => {
      const stats = point.scenarioStats.find((entry) => entry.scenarioName === CHECKOUT)
      return stats === undefined ? null : stats.ok.request.rps + stats.fail.request.rps
    })
    expect(expected[0]).toBeNull()
    expect(rps.series[0]?.values).toEqual(expected)
    // checkout: 20·i ok + i failed requests in 500 ms.
    expect(rps.series[0]?.values.slice(1)).toEqual([42, 84, 126])

    const p99 = chart(charts, SUMMARY_LATENCY_CHART)
    expect(p99.series[0]?.values).toEqual(
      result.timeSeries.map((point) => point.scenarioStats.find((entry) => entry.scenarioName === CHECKOUT)?.ok.latencyMs.p99 ?? null),
    )
  })

  test('every scenario gets rps (ok, fail), latency (p50, p95, p99) and distribution charts', async () => {
    const result = await sampleResult()
    const charts = buildCharts(result)
    expect(charts.map((entry) => entry.id)).toEqual([
      SUMMARY_RPS_CHART,
      SUMMARY_LATENCY_CHART,
      ...Object.values(scenarioChartIds(0)),
      ...Object.values(scenarioChartIds(1)),
    ])
    const ids = scenarioChartIds(0)
    expect(chart(charts, ids.rps).series.map((series) => series.label)).toEqual(['ok', 'fail'])
    expect(chart(charts, ids.rps).series[1]?.values).toEqual([null, 2, 4, 6])
    expect(chart(charts, ids.latency).series.map((series) => series.label)).toEqual(['p50', 'p95', 'p99'])
    expect(chart(charts, ids.distribution).xAxis).toBe('percentile')
  })

  test('the last, shorter interval: its rate is over its real length, and left out when it is under half an interval', async () => {
    const sample = await sampleSerializedResult()
    const withLast = async (durationMs: number, requests: number) => {
      // The scenario's own clock in the interval is cut at the plan's end; the interval runs on through the drain.
      const scenarios = [await serializedStats({ name: CHECKOUT, ok: okRequests(requests), durationMs: durationMs / 2 })]
      const points = [...sample.timeSeries.points, { index: 4, startMs: 2000, durationMs, scenarios }]
      return buildCharts(createRunResult({ ...sample, timeSeries: { intervalMs: 500, points } }))
    }
    // 30 requests in the last 300 ms: 100/s, not 200/s over the scenario's 150 ms.
    const drawn = chart(await withLast(300, 30), SUMMARY_RPS_CHART)
    expect(drawn.xs).toEqual([0.5, 1, 1.5, 2, 2.3])
    expect(drawn.series[0]?.values.at(-1)).toBe(100)
    expect(chart(await withLast(300, 30), scenarioChartIds(0).rps).series[0]?.values.at(-1)).toBe(100)
    // 2 requests in 4 ms would be a spike of 500/s: left out, charts end with the last full interval.
    const cut = await withLast(4, 2)
    expect(chart(cut, SUMMARY_RPS_CHART).xs).toEqual([0.5, 1, 1.5, 2])
    expect(Math.max(...chart(cut, SUMMARY_RPS_CHART).series.flatMap((series) => series.values.map((value) => value ?? 0)))).toBe(126)
    expect(chart(cut, scenarioChartIds(0).latency).xs).toEqual([0.5, 1, 1.5, 2])
  })

  test('a scenario without a time series still has its charts, with no points', async () => {
    const result = await sampleResult()
    const empty = { ...result, timeSeries: [] } as typeof result
    const rps = chart(buildCharts(empty), SUMMARY_RPS_CHART)
    expect(rps.xs).toEqual([])
    expect(rps.series[0]?.values).toEqual([])
  })
})

describe('latency distribution', () => {
  test('runs from the minimum (p0) to the finest percentile the sample count resolves, through the histogram\'s percentiles', async () => {
    const stats = await scenarioStatsOf({ ok: okRequests(1000), fail: failRequests(10, 500, 'x', 1.5) })
    const { xs, values } = percentileCurve([stats.ok.latencyMs, stats.fail.latencyMs])
    expect(xs[0]).toBe(1)
    expect(xs.at(-1)).toBeLessThanOrEqual(1000)
    expect(xs.at(-1)).toBeGreaterThan(1000 / 2 ** 0.25)
    const [ok, fail] = values
    expect(ok?.[0]).toBe(stats.ok.latencyMs.min)
    // x = 1 / (1 - p): x = 2 is p50, x = 4 is p75.
    expect(ok?.[xs.indexOf(2)]).toBe(stats.ok.latencyMs.p50)
    expect(ok?.[xs.indexOf(4)]).toBe(stats.ok.latencyMs.p75)
    for (let index = 1; index < xs.length; index++) expect(ok?.[index]).toBeGreaterThanOrEqual(ok?.[index - 1] ?? 0)
    // HDR holds values below 2048 µs exactly.
    expect(fail?.every((value) => value === 1.5)).toBe(true)
  })

  test('nothing recorded is no line at all', async () => {
    const stats = await scenarioStatsOf({ ok: okRequests(3) })
    const { values } = percentileCurve([stats.ok.latencyMs, stats.fail.latencyMs])
    expect(values[1]?.every((value) => value === null)).toBe(true)
    const none = percentileCurve([stats.fail.latencyMs])
    expect(none.xs).toEqual([1])
    expect(none.values).toEqual([[null]])
  })
})
