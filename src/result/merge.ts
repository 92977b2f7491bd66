import { mergeScenarioStats } from '../stats/merge.js'
import type { SerializedScenarioStats } from '../stats/types.js'
import type { SeriesPoint, SerializedRunResult, SerializedTimeSeries } from './result.js'

/**
 * Merges the results of nodes that ran together (a cluster) or saved runs
 * (`loadspec report --merge`): histograms are added, counters summed, time
 * series joined by interval index. Every percentile of the merged result is
 * that of one histogram holding all the samples.
 */
export function mergeRunResults(parts: readonly SerializedRunResult[]): SerializedRunResult {
  const first = parts[0]
  if (first === undefined) throw new Error('mergeRunResults: nothing to merge')
  return {
    version: 2,
    startedAt: parts.map((part) => part.startedAt).sort()[0] ?? first.startedAt,
    durationMs: Math.max(...parts.map((part) => part.durationMs)),
    incomplete: parts.some((part) => part.incomplete),
    nodes: parts.flatMap((part) => part.nodes),
    warnings: parts.flatMap((part) => part.warnings),
    reportFiles: [],
    scenarios: mergeByScenario(parts.flatMap((part) => part.scenarios)),
    timeSeries: mergeTimeSeries(parts.map((part) => part.timeSeries)),
  }
}

/** Merges stats of the same scenario from several nodes, keeping first-seen scenario order. */
export function mergeByScenario(stats: readonly SerializedScenarioStats[]): SerializedScenarioStats[] {
  const byName = new Map<string, SerializedScenarioStats[]>()
  for (const entry of stats) {
    const group = byName.get(entry.scenarioName)
    if (group === undefined) byName.set(entry.scenarioName, [entry])
    else group.push(entry)
  }
  return [...byName.values()].map((group) => (group.length === 1 ? (group[0] as SerializedScenarioStats) : mergeScenarioStats(group)))
}

export function mergeTimeSeries(series: readonly SerializedTimeSeries[]): SerializedTimeSeries {
  const intervals = new Set(series.filter((entry) => entry.points.length > 0).map((entry) => entry.intervalMs))
  if (intervals.size > 1) {
    throw new Error(`Cannot merge time series with different intervals (${[...intervals].join(' ms, ')} ms): set the same ReportingIntervalMs on every node`)
  }
  const intervalMs = [...intervals][0] ?? series[0]?.intervalMs ?? 1000
  const byIndex = new Map<number, SeriesPoint[]>()
  for (const entry of series) {
    for (const point of entry.points) {
      const group = byIndex.get(point.index)
      if (group === undefined) byIndex.set(point.index, [point])
      else group.push(point)
    }
  }
  const points = [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, group]): SeriesPoint => ({
      index,
      startMs: index * intervalMs,
      durationMs: Math.max(...group.map((point) => point.durationMs)),
      scenarios: mergeByScenario(group.flatMap((point) => point.scenarios)),
    }))
  return { intervalMs, points }
}
