import { intervalStats, SERIES_HISTOGRAMS } from '../stats/series.js'
import type { ScenarioExtremes } from '../stats/recorder.js'
import type { SerializedScenarioStats } from '../stats/types.js'
import type { SeriesPoint, SerializedTimeSeries } from '../result/result.js'

/** A scenario's cumulative stats now, and the min and max of every distribution since the previous snapshot. */
export interface SeriesSnapshot {
  readonly stats: SerializedScenarioStats
  readonly extremes: ScenarioExtremes
}

/** What the collector reads: a scenario's recorder over its measured window. */
export interface SeriesSource {
  readonly scenarioName: string
  /** Undefined while the scenario warms up: its points begin with its measured window. */
  snapshot(nowMs: number): SeriesSnapshot | undefined
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
    private readonly onPoint?: (point: SeriesPoint) => void,
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
      const snapshot = source.snapshot(nowMs)
      if (snapshot === undefined) continue
      // Exact scalars, latency histograms and nothing else (see SERIES_HISTOGRAMS).
      scenarios.push(intervalStats(this.previous.get(source.scenarioName), snapshot.stats, snapshot.extremes, SERIES_HISTOGRAMS))
      this.previous.set(source.scenarioName, snapshot.stats)
    }
    const point: SeriesPoint = { index: this.nextIndex, startMs, durationMs: endMs - startMs, scenarios }
    this.points.push(point)
    this.nextIndex++
    this.onPoint?.(point)
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
