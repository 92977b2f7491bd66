/**
 * The live RunResult of a run in progress, from the cumulative merged stats
 * that arrive about once a reporting interval (RunProgress): its totals are
 * the latest stats, and its time series is cut from consecutive progress
 * snapshots (exact histogram differences), so `live.window(...)` works
 * while load runs, as it does at the end.
 */
import { intervalStats } from '../stats/series.js'
import type { SerializedScenarioStats } from '../stats/types.js'
import type { RunProgress } from './progress.js'
import { createRunResult, type RunResult, type SeriesPoint } from './result.js'

export class LiveRunResult {
  private readonly points: SeriesPoint[] = []
  private readonly previous = new Map<string, SerializedScenarioStats>()
  private previousElapsedMs = 0

  constructor(private readonly startedAt: string = new Date().toISOString()) {}

  /** Takes the next progress snapshot and returns the run as it stands. */
  update(progress: RunProgress): RunResult {
    const startMs = this.previousElapsedMs
    const durationMs = progress.elapsedMs - startMs
    if (durationMs > 0) {
      this.points.push({ index: this.points.length, startMs, durationMs, scenarios: this.intervalsUpTo(progress.scenarios) })
      this.previousElapsedMs = progress.elapsedMs
    }
    return createRunResult({
      version: 2,
      startedAt: this.startedAt,
      durationMs: progress.elapsedMs,
      incomplete: false,
      nodes: [],
      warnings: [],
      reportFiles: [],
      scenarios: progress.scenarios,
      timeSeries: { intervalMs: this.points[0]?.durationMs ?? 0, points: [...this.points] },
    })
  }

  private intervalsUpTo(scenarios: readonly SerializedScenarioStats[]): SerializedScenarioStats[] {
    const intervals: SerializedScenarioStats[] = []
    for (const current of scenarios) {
      try {
        intervals.push(intervalStats(this.previous.get(current.scenarioName), current))
      } catch {
        // Merged snapshots of a cluster may fold error groups differently once their cap is reached:
        // that interval is left out of the live series, the totals stay exact.
      }
      this.previous.set(current.scenarioName, current)
    }
    return intervals
  }
}
