/**
 * CSV report: one row per scenario or step and outcome (ok / fail), every
 * figure at full precision, for spreadsheets and scripts. Latency in ms,
 * sizes in bytes; a scenario row has an empty `step` column.
 */
import type { RunResult } from '../result/result.js'
import type { MeasurementStats, ScenarioStats, StepStats } from '../stats/types.js'

export const CSV_COLUMNS = [
  'scenario',
  'step',
  'outcome',
  'count',
  'rps',
  'percent',
  'latency_min_ms',
  'latency_mean_ms',
  'latency_p50_ms',
  'latency_p75_ms',
  'latency_p95_ms',
  'latency_p99_ms',
  'latency_max_ms',
  'latency_stddev_ms',
  'bytes_total',
  'bytes_mean',
  'bytes_p50',
  'bytes_p99',
  'bytes_max',
  'dropped_iterations',
  'duration_ms',
] as const

export type CsvColumn = (typeof CSV_COLUMNS)[number]

export function renderCsv(result: RunResult): string {
  const rows: string[][] = [[...CSV_COLUMNS]]
  for (const scenario of result.scenarioStats) {
    rows.push(...outcomeRows(scenario, ''))
    for (const step of scenario.stepStats) rows.push(...outcomeRows(step, step.stepName))
  }
  // CRLF: what RFC 4180 and spreadsheet imports expect.
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n'
}

function outcomeRows(stats: ScenarioStats | StepStats, stepName: string): string[][] {
  // Dropped iterations belong to the scenario, never to a step or an outcome: on the scenario's ok row only.
  const dropped = stats.kind === 'scenario' ? String(stats.droppedIterations) : ''
  return [
    measurementRow(stats, stepName, 'ok', stats.ok, dropped),
    measurementRow(stats, stepName, 'fail', stats.fail, ''),
  ]
}

function measurementRow(
  stats: ScenarioStats | StepStats,
  stepName: string,
  outcome: 'ok' | 'fail',
  measurement: MeasurementStats,
  dropped: string,
): string[] {
  const { request, latencyMs, dataTransferBytes } = measurement
  const row: Record<CsvColumn, string | number> = {
    scenario: stats.scenarioName,
    step: stepName,
    outcome,
    count: request.count,
    rps: request.rps,
    percent: request.percent,
    latency_min_ms: latencyMs.min,
    latency_mean_ms: latencyMs.mean,
    latency_p50_ms: latencyMs.p50,
    latency_p75_ms: latencyMs.p75,
    latency_p95_ms: latencyMs.p95,
    latency_p99_ms: latencyMs.p99,
    latency_max_ms: latencyMs.max,
    latency_stddev_ms: latencyMs.stdDev,
    bytes_total: dataTransferBytes.total,
    bytes_mean: dataTransferBytes.mean,
    bytes_p50: dataTransferBytes.p50,
    bytes_p99: dataTransferBytes.p99,
    bytes_max: dataTransferBytes.max,
    dropped_iterations: dropped,
    duration_ms: stats.durationMs,
  }
  return CSV_COLUMNS.map((column) => String(row[column]))
}

/** RFC 4180: quote a field holding a comma, a quote or a line break, doubling its quotes. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}
