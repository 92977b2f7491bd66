/**
 * The stats of a span of time from the consecutive intervals that cover it
 * (time-series points of one scenario, every node already merged per
 * interval). Counts, sums and histograms add up exactly as when nodes are
 * merged; what differs is time: the intervals follow one another, so their
 * measured durations and pauses add up instead of overlapping.
 */
import { mergeScenarioStats } from './merge.js'
import type { SerializedScenarioStats } from './types.js'

export function spanStats(intervals: readonly SerializedScenarioStats[]): SerializedScenarioStats {
  const merged = mergeScenarioStats(intervals)
  let durationMs = 0
  let pausedMs = 0
  for (const interval of intervals) {
    durationMs += interval.durationMs
    pausedMs += interval.window.pausedMs
  }
  return { ...merged, durationMs, window: { startMs: merged.window.startMs, endMs: merged.window.endMs, pausedMs } }
}

/** The scenario stats of consecutive intervals (time-series points), grouped by scenario name in first-seen order. */
export function statsByScenario(intervals: readonly { readonly scenarios: readonly SerializedScenarioStats[] }[]): Map<string, SerializedScenarioStats[]> {
  const byName = new Map<string, SerializedScenarioStats[]>()
  for (const interval of intervals) {
    for (const stats of interval.scenarios) {
      const group = byName.get(stats.scenarioName)
      if (group === undefined) byName.set(stats.scenarioName, [stats])
      else group.push(stats)
    }
  }
  return byName
}

/** Each scenario's stats over consecutive intervals, in the order scenarios first appear. */
export function spanStatsByScenario(intervals: readonly { readonly scenarios: readonly SerializedScenarioStats[] }[]): SerializedScenarioStats[] {
  return [...statsByScenario(intervals).values()].map((group) => spanStats(group))
}
