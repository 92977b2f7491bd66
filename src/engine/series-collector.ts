import { intervalStats } from '../stats/series.js'
import { EMPTY_HISTOGRAM } from '../stats/histogram.js'
import { coarsenHistogram } from '../stats/histogram-arithmetic.js'
import type { SerializedCommonStats, SerializedScenarioStats } from '../stats/types.js'
import type { SeriesPoint, SerializedTimeSeries } from '../result/result.js'

/** What the collector reads: a scenario's recorder, and whether its measured phase has begun. */
export interface SeriesSource {
  readonly scenarioName: string
  /** performance.now() when the measured phase began; undefined during warm-up. */
  readonly measuredStartMs: number | undefined
  serialize(durationMs: number): SerializedScenarioStats
}

/**
 * Cuts a node's run into fixed intervals aligned on the node's load start,
 * so the points of every node in a cluster line up by index and merge by
 * histogram addition. Intervals are taken per recorder (see stats/series.ts).
 */
export class SeriesCollector {
  private readonly points: SeriesPoint[] = []
  private readonly previous = new Map<string, SerializedScenarioStats>()
  private timer: NodeJS.Timeout | undefined
  private nextIndex = 0

  constructor(
    private readonly sources: readonly SeriesSource[],
    readonly intervalMs: number,
    private readonly loadStartMs: number,
  ) {}

  start(): void {
    this.scheduleNext()
  }

  /** Takes the last, partial interval and returns the series. */
  finish(): SerializedTimeSeries {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.takePoint(performance.now() - this.loadStartMs)
    return { intervalMs: this.intervalMs, points: this.points }
  }

  private scheduleNext(): void {
    // Aimed at the interval's end on the node's clock, so timer drift does not accumulate.
    const dueMs = this.loadStartMs + (this.nextIndex + 1) * this.intervalMs
    this.timer = setTimeout(() => {
      this.takePoint((this.nextIndex + 1) * this.intervalMs)
      this.scheduleNext()
    }, Math.max(0, dueMs - performance.now()))
    this.timer.unref()
  }

  private takePoint(endMs: number): void {
    const startMs = this.nextIndex * this.intervalMs
    if (endMs <= startMs) return
    const nowMs = performance.now()
    const scenarios: SerializedScenarioStats[] = []
    for (const source of this.sources) {
      if (source.measuredStartMs === undefined) continue
      const current = source.serialize(nowMs - source.measuredStartMs)
      scenarios.push(slimForSeries(intervalStats(this.previous.get(source.scenarioName), current)))
      this.previous.set(source.scenarioName, current)
    }
    this.points.push({ index: this.nextIndex, startMs, durationMs: endMs - startMs, scenarios })
    this.nextIndex++
  }
}

/**
 * A point keeps what a chart over time reads (counters, status codes,
 * errors, latency histograms at 2 significant digits); size histograms and the open model's
 * service-time and start-lag histograms live in the totals only. Each
 * histogram is a few KB, and every point travels in an agent's final message.
 */
function slimForSeries(stats: SerializedScenarioStats): SerializedScenarioStats {
  return {
    ...stats,
    ...slimMeasurements(stats),
    serviceTimeUs: undefined,
    startLagUs: undefined,
    steps: stats.steps.map((step) => ({ ...step, ...slimMeasurements(step) })),
  }
}

function slimMeasurements(stats: SerializedCommonStats): Pick<SerializedCommonStats, 'ok' | 'fail'> {
  return {
    ok: { ...stats.ok, bytes: EMPTY_HISTOGRAM, latencyUs: coarsenHistogram(stats.ok.latencyUs) },
    fail: { ...stats.fail, bytes: EMPTY_HISTOGRAM, latencyUs: coarsenHistogram(stats.fail.latencyUs) },
  }
}

/** 500 ms up to 10 s of load, 1 s up to 2 min, 5 s beyond: enough points to draw, few enough to keep. */
export function defaultSeriesIntervalMs(longestPlanMs: number): number {
  // Iteration-count plans have no length up front.
  if (!Number.isFinite(longestPlanMs)) return 1000
  if (longestPlanMs <= 10_000) return 500
  if (longestPlanMs <= 120_000) return 1000
  return 5000
}
