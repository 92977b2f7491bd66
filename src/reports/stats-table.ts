/**
 * The plain-text stats table of one scenario or one step: what a matcher
 * failure prints so a CI log explains itself, and the building block of the
 * console summary. Monospace text only (no colours, no Markdown), every line
 * readable on its own; numbers follow the shared rules of format.ts.
 */
import type { LatencyStats, MeasurementStats, ScenarioStats, StatusCodeStats, StepStats } from '../stats/types.js'
import { formatBytes, formatCount, formatDuration, formatMs, formatPercent, formatRps } from './format.js'
import { TOP_ERRORS, TOP_STATUS_CODES } from './limits.js'

/**
 * ```text
 * scenario "checkout": 203 requests in 2.0 s (101.5 rps, all requests), 2 dropped iterations
 *            count    rps  share  min ms  mean ms  p50 ms  p75 ms  p95 ms  p99 ms  max ms   data
 *   ok         200  100.0 98.5 %    1.02     2.31    2.10    2.50    3.90    5.10    8.20  23.4 KB
 *   fail         3    1.5  1.5 %    0.51     0.77    0.60    0.90    1.20    1.20    1.20     0 B
 * ```
 * followed by the open model's service time and start lag, status codes, top
 * errors and, for a scenario, its steps in one line each. The time is the
 * measured window (docs/numbers.md); each row's rps counts that row's
 * requests over it, the headline's all of them.
 */
export function formatStatsTable(stats: ScenarioStats | StepStats): string {
  const sections = [headline(stats), measurementTable(stats)]
  if (stats.kind === 'scenario') {
    const openModel = openModelLines(stats)
    if (openModel.length > 0) sections.push(openModel.join('\n'))
  }
  sections.push(statusCodeLines(stats.statusCodes).join('\n'))
  if (stats.errors.length > 0) sections.push(errorLines(stats).join('\n'))
  if (stats.kind === 'scenario' && stats.stepStats.length > 0) sections.push(stepLines(stats.stepStats).join('\n'))
  return sections.join('\n')
}

const INDENT = '  '
const NO_VALUE = '-'
/** Messages come from user code and servers: one line, bounded, in a log. */
const MAX_MESSAGE_CHARS = 100

function headline(stats: ScenarioStats | StepStats): string {
  const subject = stats.kind === 'scenario' ? `scenario "${stats.scenarioName}"` : `step "${stats.stepName}" of scenario "${stats.scenarioName}"`
  const requests = `${formatCount(stats.allRequestCount)} ${stats.allRequestCount === 1 ? 'request' : 'requests'}`
  const dropped = stats.kind === 'scenario' ? `, ${formatCount(stats.droppedIterations)} dropped ${stats.droppedIterations === 1 ? 'iteration' : 'iterations'}` : ''
  return `${subject}: ${requests} in ${formatDuration(stats.durationMs)} (${formatRps(stats.allRequestRps)} rps, all requests)${dropped}`
}

const LATENCY_HEADER = ['min ms', 'mean ms', 'p50 ms', 'p75 ms', 'p95 ms', 'p99 ms', 'max ms']

function measurementTable(stats: ScenarioStats | StepStats): string {
  const header = ['', 'count', 'rps', 'share', ...LATENCY_HEADER, 'data']
  return renderColumns([header, measurementRow('ok', stats.ok), measurementRow('fail', stats.fail)], INDENT)
}

function measurementRow(outcome: string, measurement: MeasurementStats): string[] {
  const { request, latencyMs, dataTransferBytes } = measurement
  return [
    outcome,
    formatCount(request.count),
    formatRps(request.rps),
    formatPercent(request.percent),
    ...latencyCells(latencyMs),
    formatBytes(dataTransferBytes.total),
  ]
}

/** An empty histogram reads 0 everywhere; a dash says "nothing measured" instead of "0 ms". */
function latencyCells(latency: LatencyStats): string[] {
  if (latency.count === 0) return LATENCY_HEADER.map(() => NO_VALUE)
  return [latency.min, latency.mean, latency.p50, latency.p75, latency.p95, latency.p99, latency.max].map(formatMs)
}

function openModelLines(stats: ScenarioStats): string[] {
  const lines: string[] = []
  if (stats.serviceTimeMs !== undefined) {
    lines.push(`${INDENT}open model: latency counts from each iteration's intended start; service time ${latencySummary(stats.serviceTimeMs)}`)
  }
  if (stats.startLagMs !== undefined) lines.push(`${INDENT}start lag ${latencySummary(stats.startLagMs)}`)
  return lines
}

function latencySummary(latency: LatencyStats): string {
  if (latency.count === 0) return 'not measured'
  // A window of the time series keeps no start-lag or service-time histograms: only their exact extremes.
  if (Number.isNaN(latency.p50)) return `max ${formatMs(latency.max)} ms (no percentiles in a window)`
  return `p50 ${formatMs(latency.p50)} ms, p99 ${formatMs(latency.p99)} ms, max ${formatMs(latency.max)} ms`
}

function statusCodeLines(statusCodes: readonly StatusCodeStats[]): string[] {
  if (statusCodes.length === 0) return [`${INDENT}status codes: none`]
  const rows = statusCodes
    .slice(0, TOP_STATUS_CODES)
    .map((code) => [code.statusCode, code.isError ? 'fail' : 'ok', formatCount(code.count), formatPercent(code.percent), oneLine(code.message)])
  const lines = [`${INDENT}status codes:`, renderColumns(rows, INDENT + INDENT, [0, 1, 4])]
  const hidden = statusCodes.length - TOP_STATUS_CODES
  if (hidden > 0) lines.push(`${INDENT}${INDENT}… ${hidden} more status codes`)
  return lines
}

function errorLines(stats: ScenarioStats | StepStats): string[] {
  const shown = stats.errors.slice(0, TOP_ERRORS)
  const title = stats.errors.length > shown.length ? `errors (top ${shown.length} of ${stats.errors.length} groups):` : 'errors:'
  const rows = shown.map((error) => [`${formatCount(error.count)} ×`, error.statusCode, oneLine(error.message) || '(no message)'])
  return [`${INDENT}${title}`, renderColumns(rows, INDENT + INDENT, [1, 2])]
}

function stepLines(steps: readonly StepStats[]): string[] {
  const rows = steps.map((step) => [
    step.stepName,
    `ok ${formatCount(step.ok.request.count)}`,
    `fail ${formatCount(step.fail.request.count)}`,
    step.ok.latencyMs.count === 0 ? `p50 ${NO_VALUE}` : `p50 ${formatMs(step.ok.latencyMs.p50)} ms`,
    step.ok.latencyMs.count === 0 ? `p99 ${NO_VALUE}` : `p99 ${formatMs(step.ok.latencyMs.p99)} ms`,
  ])
  return [`${INDENT}steps:`, renderColumns(rows, INDENT + INDENT, [0, 1, 2, 3, 4])]
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > MAX_MESSAGE_CHARS ? `${flat.slice(0, MAX_MESSAGE_CHARS - 1)}…` : flat
}

/**
 * Aligns cells in columns two spaces apart: numbers to the right, the
 * columns named in `leftAligned` to the left (the first by default). Lines
 * keep no trailing spaces, so logs and snapshots stay clean.
 */
function renderColumns(rows: readonly (readonly string[])[], indent: string, leftAligned: readonly number[] = [0]): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, cell.length)))
  return rows
    .map((row) =>
      row
        .map((cell, column) => {
          const width = widths[column] ?? cell.length
          return leftAligned.includes(column) ? cell.padEnd(width) : cell.padStart(width)
        })
        .join('  '),
    )
    .map((line) => `${indent}${line}`.trimEnd())
    .join('\n')
}
