/**
 * Markdown report: the whole result as GitHub-flavoured tables, for a pull
 * request comment or a CI job summary. Latency is that of ok requests unless
 * a row says otherwise, as the matchers read it.
 */
import type { RunResult } from '../result/result.js'
import type { MeasurementStats, ScenarioStats, StepStats } from '../stats/types.js'
import { formatBytes, formatCount, formatDuration, formatMs, formatPercent, formatRps } from './format.js'
import { TOP_ERRORS, TOP_STATUS_CODES } from './limits.js'

export function renderMarkdown(result: RunResult): string {
  const parts = [
    '# loadspec report',
    table(
      ['started', 'duration', 'nodes', 'scenarios'],
      [[result.startedAt, formatDuration(result.durationMs), formatCount(result.nodes.length), formatCount(result.scenarioStats.length)]],
    ),
  ]
  if (result.incomplete) parts.push('> **Incomplete:** some node\'s figures are missing or partial; see the warnings.')
  parts.push('## Scenarios', summaryTable(result.scenarioStats))
  for (const scenario of result.scenarioStats) parts.push(...scenarioSection(scenario))
  parts.push('## Nodes', nodesTable(result))
  parts.push('## Warnings', result.warnings.length === 0 ? 'None.' : result.warnings.map((warning) => `- ${inline(warning)}`).join('\n'))
  return parts.join('\n\n') + '\n'
}

function summaryTable(scenarios: readonly ScenarioStats[]): string {
  return table(
    ['scenario', 'requests', 'ok', 'fail', 'fail %', 'rps (all)', 'p50 ms', 'p75 ms', 'p95 ms', 'p99 ms', 'max ms', 'data', 'dropped'],
    scenarios.map((stats) => [
      stats.scenarioName,
      formatCount(stats.allRequestCount),
      formatCount(stats.ok.request.count),
      formatCount(stats.fail.request.count),
      formatPercent(stats.fail.request.percent),
      formatRps(stats.allRequestRps),
      okLatency(stats, stats.ok.latencyMs.p50),
      okLatency(stats, stats.ok.latencyMs.p75),
      okLatency(stats, stats.ok.latencyMs.p95),
      okLatency(stats, stats.ok.latencyMs.p99),
      okLatency(stats, stats.ok.latencyMs.max),
      formatBytes(stats.ok.dataTransferBytes.total + stats.fail.dataTransferBytes.total),
      formatCount(stats.droppedIterations),
    ]),
  )
}

function scenarioSection(stats: ScenarioStats): string[] {
  const parts = [`## Scenario: ${inline(stats.scenarioName)}`, measurementTable(stats)]
  const notes = [`measured for ${formatDuration(stats.durationMs)}`, `dropped iterations: ${stats.droppedIterations}`]
  if (stats.serviceTimeMs !== undefined) {
    notes.push(
      `open model: latency counts from each iteration's intended start; service time p50 ${formatMs(stats.serviceTimeMs.p50)} ms, ` +
        `p99 ${formatMs(stats.serviceTimeMs.p99)} ms`,
    )
  }
  if (stats.startLagMs !== undefined) notes.push(`start lag p99 ${formatMs(stats.startLagMs.p99)} ms, max ${formatMs(stats.startLagMs.max)} ms`)
  parts.push(notes.map((note) => `- ${note}`).join('\n'))
  if (stats.stepStats.length > 0) parts.push('### Steps', stepsTable(stats.stepStats))
  parts.push('### Status codes', statusCodesTable(stats))
  if (stats.errors.length > 0) {
    parts.push('### Errors', table(['status', 'count', 'message'], stats.errors.slice(0, TOP_ERRORS).map((error) => [error.statusCode, formatCount(error.count), error.message])))
    if (stats.errors.length > TOP_ERRORS) parts.push(`${stats.errors.length - TOP_ERRORS} more error groups in the JSON report.`)
  }
  return parts
}

const MEASUREMENT_HEADER = ['outcome', 'count', 'rps', 'min ms', 'mean ms', 'p50 ms', 'p75 ms', 'p95 ms', 'p99 ms', 'max ms', 'stdDev ms', 'data']

function measurementTable(stats: ScenarioStats | StepStats): string {
  return table(MEASUREMENT_HEADER, [measurementRow('ok', stats.ok), measurementRow('fail', stats.fail)])
}

function measurementRow(outcome: string, measurement: MeasurementStats): string[] {
  const { request, latencyMs } = measurement
  // Nothing measured reads as a dash, not as 0 ms (as in the console table).
  const latency = [latencyMs.min, latencyMs.mean, latencyMs.p50, latencyMs.p75, latencyMs.p95, latencyMs.p99, latencyMs.max, latencyMs.stdDev].map((ms) =>
    latencyMs.count === 0 ? '-' : formatMs(ms),
  )
  return [outcome, formatCount(request.count), formatRps(request.rps), ...latency, formatBytes(measurement.dataTransferBytes.total)]
}

function stepsTable(steps: readonly StepStats[]): string {
  return table(
    ['step', ...MEASUREMENT_HEADER],
    steps.flatMap((step) => [
      [step.stepName, ...measurementRow('ok', step.ok)],
      [step.stepName, ...measurementRow('fail', step.fail)],
    ]),
  )
}

function statusCodesTable(stats: ScenarioStats): string {
  if (stats.statusCodes.length === 0) return 'No requests.'
  const shown = table(
    ['status', 'outcome', 'count', 'share', 'message'],
    stats.statusCodes
      .slice(0, TOP_STATUS_CODES)
      .map((code) => [code.statusCode, code.isError ? 'fail' : 'ok', formatCount(code.count), formatPercent(code.percent), code.message]),
  )
  const hidden = stats.statusCodes.length - TOP_STATUS_CODES
  return hidden > 0 ? `${shown}\n\n${hidden} more status codes in the JSON report.` : shown
}

function nodesTable(result: RunResult): string {
  return table(
    ['node', 'type', 'host', 'pid', 'scenarios', 'partition', 'state'],
    result.nodes.map((node) => [
      node.nodeId,
      node.nodeType,
      node.host,
      String(node.pid),
      node.scenarios.join(', '),
      `${node.partition.number + 1} of ${node.partition.count}`,
      node.lost === true ? 'lost' : 'ok',
    ]),
  )
}

/** A GitHub table; every cell is made safe for one line of a table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.map(cell).join(' | ')} |`)
  return lines.join('\n')
}

function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|')
}

/** Markdown that could break the layout (line breaks, HTML) is neutralized; the words stay readable. */
function inline(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** A scenario without ok requests has no ok latency: a dash, not 0 ms. */
function okLatency(stats: ScenarioStats, ms: number): string {
  return stats.ok.latencyMs.count === 0 ? '-' : formatMs(ms)
}
