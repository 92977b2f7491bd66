import { buildScenarioStats } from '../stats/build.js'
import type { ScenarioStats, SerializedScenarioStats, StepStats } from '../stats/types.js'
import type { DurationInput } from '../simulations/types.js'
import { windowOfRun } from './window.js'
import type { LoadGeneratorUsage } from './generator.js'

export type { DelaySummary, LoadGeneratorUsage } from './generator.js'

/** Which share of the data a node owns in a cluster (0-based number of count). */
export interface Partition {
  readonly number: number
  readonly count: number
}

/** Roles of nodes that ran load (a Client runs none: its result holds the service's nodes). */
export type NodeType = 'Single' | 'Coordinator' | 'Agent'

/** Who ran what: one entry per node that took part in the run. */
export interface NodeInfo {
  readonly nodeId: string
  readonly nodeType: NodeType
  readonly host: string
  readonly pid: number
  readonly scenarios: readonly string[]
  readonly partition: Partition
  /** Set when the node stopped answering mid-run: its figures are the sum of the intervals it sent. */
  readonly lost?: boolean
  /** What the load cost the node's process and how late it ran (generator health); absent for a lost node and in results of version 1. */
  readonly generator?: LoadGeneratorUsage
}

/** One interval of the time series: each scenario's stats for that window alone. */
export interface SeriesPoint {
  /** Position in the series; points of different nodes with the same index cover the same window. */
  readonly index: number
  /** Start of the window, ms after load started. */
  readonly startMs: number
  readonly durationMs: number
  readonly scenarios: readonly SerializedScenarioStats[]
}

export interface SerializedTimeSeries {
  readonly intervalMs: number
  readonly points: readonly SeriesPoint[]
}

export interface TimeSeriesPoint {
  readonly index: number
  readonly startMs: number
  readonly durationMs: number
  readonly scenarioStats: readonly ScenarioStats[]
}

/** The JSON form of a RunResult: what reports save and `loadspec report` reads back. */
export interface SerializedRunResult {
  readonly version: 2
  readonly startedAt: string
  readonly durationMs: number
  /** True when some node's figures are missing or partial (see warnings). */
  readonly incomplete: boolean
  readonly nodes: readonly NodeInfo[]
  readonly warnings: readonly string[]
  readonly reportFiles: readonly string[]
  readonly scenarios: readonly SerializedScenarioStats[]
  readonly timeSeries: SerializedTimeSeries
}

export interface RunResult {
  readonly scenarioStats: readonly ScenarioStats[]
  readonly nodes: readonly NodeInfo[]
  readonly warnings: readonly string[]
  readonly reportFiles: readonly string[]
  readonly durationMs: number
  readonly startedAt: string
  readonly incomplete: boolean
  /** Per-interval stats (rps, counts, percentiles over time), for reports. */
  readonly timeSeries: readonly TimeSeriesPoint[]
  readonly timeSeriesIntervalMs: number
  getScenarioStats(scenarioName: string): ScenarioStats
  getStepStats(scenarioName: string, stepName: string): StepStats
  /**
   * The run over a span since load start (seconds, or a string like '10s'),
   * from the merged time series: every matcher takes it. Without `to`, up to
   * the end. Bounds snap to the reporting interval (docs/budgets.md).
   */
  window(from: DurationInput, to?: DurationInput): RunResult
  toJSON(): SerializedRunResult
}

const runResultBrand: unique symbol = Symbol.for('loadspec.runResult') as never

export function isRunResult(value: unknown): value is RunResult {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[runResultBrand] === true
}

export function createRunResult(serialized: SerializedRunResult): RunResult {
  const scenarioStats = serialized.scenarios.map(buildScenarioStats)
  const byName = new Map(scenarioStats.map((stats) => [stats.scenarioName, stats]))
  const getScenarioStats = (scenarioName: string): ScenarioStats => {
    const stats = byName.get(scenarioName)
    if (stats === undefined) {
      const known = [...byName.keys()].map((name) => `"${name}"`).join(', ') || 'none'
      throw new Error(`No stats for scenario "${scenarioName}" in this run; scenarios with stats: ${known}`)
    }
    return stats
  }
  let timeSeries: TimeSeriesPoint[] | undefined
  return {
    [runResultBrand]: true,
    // Built on first read: a long run has many points and most results are never charted.
    get timeSeries(): TimeSeriesPoint[] {
      timeSeries ??= serialized.timeSeries.points.map((point) => ({
        index: point.index,
        startMs: point.startMs,
        durationMs: point.durationMs,
        scenarioStats: point.scenarios.map(buildScenarioStats),
      }))
      return timeSeries
    },
    timeSeriesIntervalMs: serialized.timeSeries.intervalMs,
    scenarioStats,
    nodes: serialized.nodes,
    warnings: serialized.warnings,
    reportFiles: serialized.reportFiles,
    durationMs: serialized.durationMs,
    startedAt: serialized.startedAt,
    incomplete: serialized.incomplete,
    getScenarioStats,
    getStepStats: (scenarioName, stepName) => getScenarioStats(scenarioName).getStepStats(stepName),
    window: (from, to) => createRunResult(windowOfRun(serialized, from, to)),
    toJSON: () => serialized,
  } as RunResult
}
