/**
 * The numbers behind the HTML report's charts, computed here (in Node, from
 * the run's time series and histograms) so the page only draws: it embeds a
 * few arrays instead of histograms and a decoder.
 */
import type { RunResult, TimeSeriesPoint } from '../../result/result.js'
import type { LatencyStats, ScenarioStats } from '../../stats/types.js'

/**
 * `seconds`: x is the end of an interval, in seconds after load started.
 * `percentile`: x is 1 / (1 - p/100), drawn on a log scale, so 90 %, 99 %,
 * 99.9 % are evenly spaced as in HdrHistogram's percentile plots.
 */
export type ChartXAxis = 'seconds' | 'percentile'

export interface ChartSeries {
  readonly label: string
  /** One per x; null where there is nothing to show (warm-up, no requests). */
  readonly values: readonly (number | null)[]
}

export interface ChartSpec {
  readonly id: string
  readonly title: string
  readonly xAxis: ChartXAxis
  readonly yLabel: string
  readonly xs: readonly number[]
  readonly series: readonly ChartSeries[]
}

export const SUMMARY_RPS_CHART = 'summary-rps'
export const SUMMARY_LATENCY_CHART = 'summary-latency'

export function scenarioChartIds(scenarioIndex: number): { rps: string; latency: string; distribution: string } {
  return {
    rps: `scenario-${scenarioIndex}-rps`,
    latency: `scenario-${scenarioIndex}-latency`,
    distribution: `scenario-${scenarioIndex}-distribution`,
  }
}

/** Every chart of the report: two summary charts, then three per scenario. */
export function buildCharts(result: RunResult): ChartSpec[] {
  const points = chartedPoints(result.timeSeries, result.timeSeriesIntervalMs)
  const xs = points.map((point) => round((point.startMs + point.durationMs) / 1000, 3))
  const names = result.scenarioStats.map((stats) => stats.scenarioName)
  const charts: ChartSpec[] = [
    {
      id: SUMMARY_RPS_CHART,
      title: 'Requests per second (ok + fail)',
      xAxis: 'seconds',
      yLabel: 'requests/s',
      xs,
      series: names.map((name) => ({ label: name, values: perInterval(points, name, (stats, point) => ratePerSecond(stats.allRequestCount, point)) })),
    },
    {
      id: SUMMARY_LATENCY_CHART,
      title: 'Latency p99 of ok requests',
      xAxis: 'seconds',
      yLabel: 'ms',
      xs,
      series: names.map((name) => ({ label: name, values: perInterval(points, name, okLatency((latency) => latency.p99)) })),
    },
  ]
  result.scenarioStats.forEach((stats, index) => charts.push(...scenarioCharts(stats, index, points, xs)))
  return charts
}

function scenarioCharts(stats: ScenarioStats, index: number, points: readonly TimeSeriesPoint[], xs: readonly number[]): ChartSpec[] {
  const name = stats.scenarioName
  const ids = scenarioChartIds(index)
  const distribution = percentileCurve([stats.ok.latencyMs, stats.fail.latencyMs])
  return [
    {
      id: ids.rps,
      title: `${name}: requests per second`,
      xAxis: 'seconds',
      yLabel: 'requests/s',
      xs,
      series: [
        { label: 'ok', values: perInterval(points, name, (s, point) => ratePerSecond(s.ok.request.count, point)) },
        { label: 'fail', values: perInterval(points, name, (s, point) => ratePerSecond(s.fail.request.count, point)) },
      ],
    },
    {
      id: ids.latency,
      title: `${name}: latency of ok requests over time`,
      xAxis: 'seconds',
      yLabel: 'ms',
      xs,
      series: (['p50', 'p95', 'p99'] as const).map((key) => ({ label: key, values: perInterval(points, name, okLatency((latency) => latency[key])) })),
    },
    {
      id: ids.distribution,
      title: `${name}: latency distribution`,
      xAxis: 'percentile',
      yLabel: 'ms',
      xs: distribution.xs,
      series: [
        { label: 'ok', values: distribution.values[0] ?? [] },
        { label: 'fail', values: distribution.values[1] ?? [] },
      ],
    },
  ]
}

/** Ticks per halving of the tail: 4 gives a smooth curve with ~40 points per 1000 samples. */
const STEPS_PER_HALVING = 4

/**
 * Latency at percentiles spaced evenly on the 1/(1-p) log scale, from p0
 * (the minimum) up to the finest percentile the largest sample count can
 * tell apart (1 - 1/count). A measurement with nothing recorded is null.
 */
export function percentileCurve(latencies: readonly LatencyStats[]): { xs: number[]; values: (number | null)[][] } {
  const maxCount = Math.max(0, ...latencies.map((latency) => latency.count))
  const xs: number[] = []
  for (let step = 0; ; step++) {
    const x = 2 ** (step / STEPS_PER_HALVING)
    if (step > 0 && x > maxCount) break
    xs.push(round(x, 6))
  }
  const values = latencies.map((latency) =>
    xs.map((x) => {
      if (latency.count === 0) return null
      const p = 100 * (1 - 1 / x)
      return round(p === 0 ? latency.min : latency.percentile(p), 3)
    }),
  )
  return { xs, values }
}

/**
 * The points the charts draw. The last interval ends when the run does, often
 * a few ms after the one before it: a couple of requests over 4 ms would draw
 * as a spike of hundreds per second and set the y-axis. A last interval
 * shorter than half the others is left out (its requests are in every total
 * and table); every other one is drawn at its real end.
 */
export function chartedPoints(points: readonly TimeSeriesPoint[], intervalMs: number): readonly TimeSeriesPoint[] {
  const last = points.at(-1)
  if (last === undefined || points.length < 2 || last.durationMs >= intervalMs / 2) return points
  return points.slice(0, -1)
}

/** Requests per second over the interval's real length (the last one is shorter than the rest). */
function ratePerSecond(count: number, point: TimeSeriesPoint): number {
  return point.durationMs > 0 ? (count * 1000) / point.durationMs : 0
}

function perInterval(
  points: readonly TimeSeriesPoint[],
  scenarioName: string,
  read: (stats: ScenarioStats, point: TimeSeriesPoint) => number | null,
): (number | null)[] {
  return points.map((point) => {
    const stats = point.scenarioStats.find((entry) => entry.scenarioName === scenarioName)
    const value = stats === undefined ? null : read(stats, point)
    return value === null ? null : round(value, 3)
  })
}

/** A latency figure of ok requests, or null for an interval without any (0 would draw a false dip). */
function okLatency(read: (latency: LatencyStats) => number): (stats: ScenarioStats) => number | null {
  return (stats) => (stats.ok.latencyMs.count === 0 ? null : read(stats.ok.latencyMs))
}

/** Fewer digits in the page; figures shown as text come from the stats, not from here. */
function round(value: number, digits: number): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
