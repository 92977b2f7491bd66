/**
 * What a load test tells reporters: one annotation line per scenario and
 * the key figures in `task.meta`. Reads the stats the engine built; knows
 * nothing of how they were measured.
 */
import { formatCount, formatMs, formatPercent, formatRps } from '../src/reports/format.js'
import type { RunResult } from '../src/result/result.js'
import type { ScenarioStats } from '../src/stats/types.js'

/** `task.meta.loadspec`: plain JSON, for custom reporters and the JSON reporter's output. */
export interface LoadspecTaskMeta {
  readonly durationMs: number
  readonly nodeCount: number
  /** Some node's figures are missing or partial (see the result's warnings). */
  readonly incomplete: boolean
  readonly scenarios: readonly LoadspecScenarioMeta[]
  /** This test's report files, absolute paths (in its folder of the test run); empty when reports are off. */
  readonly reportFiles: readonly string[]
  /** The test run's index.html, naming every load test of the run; undefined without one. */
  readonly runReport?: string
}

export interface LoadspecScenarioMeta {
  readonly name: string
  readonly okCount: number
  readonly failCount: number
  /** failCount / all requests, a fraction (0.01 is 1 %); 0 without requests. */
  readonly failRate: number
  /** All requests (ok and failed) per second over the measured window: what the annotation shows. */
  readonly allRequestRps: number
  /** Ok requests per second over the measured window: what toHaveRpsAtLeast reads. */
  readonly okRps: number
  /** Latency of ok requests; zeros when there were none. */
  readonly latencyMs: {
    readonly min: number
    readonly mean: number
    readonly p50: number
    readonly p75: number
    readonly p95: number
    readonly p99: number
    readonly max: number
  }
  readonly droppedIterations: number
}

export function taskMeta(result: RunResult, runReport?: string): LoadspecTaskMeta {
  return {
    durationMs: result.durationMs,
    nodeCount: result.nodes.length,
    incomplete: result.incomplete,
    scenarios: result.scenarioStats.map(scenarioMeta),
    reportFiles: result.reportFiles,
    ...(runReport === undefined ? {} : { runReport }),
  }
}

/**
 * `checkout: 100.0 rps (all requests) · ok p50 2.10 ms · ok p99 5.10 ms · fail 0.0 % · dropped 0`:
 * rps of ok and failed requests together (toHaveRpsAtLeast reads ok ones only), latency of ok requests
 * (as the latency matchers read it); each says so.
 */
export function summaryLine(stats: ScenarioStats, nodeCount: number): string {
  const latency = stats.ok.latencyMs
  const parts = [
    `${formatRps(stats.allRequestRps)} rps (all requests)`,
    latency.count > 0 ? `ok p50 ${formatMs(latency.p50)} ms` : 'ok p50 -',
    latency.count > 0 ? `ok p99 ${formatMs(latency.p99)} ms` : 'ok p99 -',
    `fail ${formatPercent(stats.fail.request.percent)}`,
    `dropped ${formatCount(stats.droppedIterations)}`,
  ]
  if (nodeCount > 1) parts.push(`${nodeCount} nodes`)
  return `${stats.scenarioName}: ${parts.join(' · ')}`
}

function scenarioMeta(stats: ScenarioStats): LoadspecScenarioMeta {
  const { min, mean, p50, p75, p95, p99, max } = stats.ok.latencyMs
  return {
    name: stats.scenarioName,
    okCount: stats.ok.request.count,
    failCount: stats.fail.request.count,
    failRate: stats.allRequestCount === 0 ? 0 : stats.fail.request.count / stats.allRequestCount,
    allRequestRps: stats.allRequestRps,
    okRps: stats.ok.request.rps,
    latencyMs: { min, mean, p50, p75, p95, p99, max },
    droppedIterations: stats.droppedIterations,
  }
}
