/**
 * The report's sections (one tab each), as static HTML: every figure is in
 * a table, so the page reads without its script, printed or searched; the
 * charts are drawn into their slots by the client script.
 */
import { cpuShare, GENERATOR_LIMITS, generatorProblems, type LoadGeneratorUsage } from '../../result/generator.js'
import type { RunResult } from '../../result/result.js'
import type { LatencyStats, MeasurementStats, ScenarioStats, StepStats } from '../../stats/types.js'
import { formatBytes, formatCount, formatDuration, formatMs, formatPercent, formatRps } from '../format.js'
import { SUMMARY_LATENCY_CHART, SUMMARY_RPS_CHART, scenarioChartIds } from './chart-data.js'
import { CLIENT_HOOKS } from './client.js'
import { escapeHtml } from './escape.js'
import { card, chartSlot, htmlTable, paragraph, type CellInput, type Column } from './markup.js'

export interface ReportSection {
  readonly id: string
  readonly title: string
  /** Shown next to the tab's title (e.g. how many warnings). */
  readonly badge?: { readonly text: string; readonly warn: boolean }
  readonly html: string
}

export function reportSections(result: RunResult): ReportSection[] {
  const failedRequests = sum(result.scenarioStats.map((stats) => stats.fail.request.count))
  const errorGroups = sum(result.scenarioStats.map((stats) => stats.errors.length))
  return [
    { id: 'summary', title: 'Summary', html: summarySection(result) },
    { id: 'scenarios', title: 'Scenarios', badge: countBadge(result.scenarioStats.length, false), html: scenariosSection(result) },
    { id: 'steps', title: 'Steps', html: stepsSection(result) },
    { id: 'status-codes', title: 'Status codes', html: statusCodesSection(result) },
    { id: 'errors', title: 'Errors', badge: countBadge(errorGroups, failedRequests > 0), html: errorsSection(result) },
    { id: 'nodes', title: 'Nodes', badge: countBadge(result.nodes.length, result.nodes.some((node) => node.lost === true || (node.generator !== undefined && generatorProblems(node.generator).length > 0))), html: nodesSection(result) },
    { id: 'warnings', title: 'Warnings', badge: countBadge(result.warnings.length, result.warnings.length > 0), html: warningsSection(result) },
  ]
}

function summarySection(result: RunResult): string {
  const scenarios = result.scenarioStats
  const ok = sum(scenarios.map((stats) => stats.ok.request.count))
  const fail = sum(scenarios.map((stats) => stats.fail.request.count))
  const rps = sum(scenarios.map((stats) => stats.allRequestRps))
  const parts = [
    '<h2>Summary</h2>',
    result.incomplete ? '<div class="banner">Incomplete: some node\'s figures are missing or partial; see the warnings.</div>' : '',
    `<div class="cards">${[
      card('requests', formatCount(ok + fail)),
      card('ok', formatCount(ok), 'ok'),
      card('failed', formatCount(fail), fail > 0 ? 'fail' : undefined),
      card('fail rate', formatPercent(ok + fail > 0 ? (fail / (ok + fail)) * 100 : 0), fail > 0 ? 'fail' : undefined),
      card('requests/s', formatRps(rps)),
      card('duration', formatDuration(result.durationMs)),
      card('nodes', formatCount(result.nodes.length)),
    ].join('')}</div>`,
    scenarioSummaryTable(result),
    charts([
      [SUMMARY_RPS_CHART, 'requests per second over time'],
      [SUMMARY_LATENCY_CHART, 'p99 latency over time'],
    ]),
    paragraph(
      `Start time: ${result.startedAt}. Time series interval: ${formatDuration(result.timeSeriesIntervalMs)}; ` +
        'rates over each interval\'s real length, and a last interval shorter than half of one is in the tables, not in the charts.',
    ),
  ]
  return parts.join('\n')
}

/** One row per scenario: requests, ok, fail, rps, latency percentiles, data, dropped (the summary tab, and each test of a test run's index). */
export function scenarioSummaryTable(result: RunResult): string {
  const scenarios = result.scenarioStats
  return htmlTable(
    [
      { title: 'scenario' },
      ...['requests', 'ok', 'fail', 'fail %', 'rps (all)', 'p50 ms', 'p75 ms', 'p95 ms', 'p99 ms', 'max ms', 'data', 'dropped'].map(numeric),
    ],
    scenarios.map((stats) => [
      stats.scenarioName,
      formatCount(stats.allRequestCount),
      formatCount(stats.ok.request.count),
      failCell(formatCount(stats.fail.request.count), stats.fail.request.count),
      failCell(formatPercent(stats.fail.request.percent), stats.fail.request.count),
      formatRps(stats.allRequestRps),
      okLatency(stats, stats.ok.latencyMs.p50),
      okLatency(stats, stats.ok.latencyMs.p75),
      okLatency(stats, stats.ok.latencyMs.p95),
      okLatency(stats, stats.ok.latencyMs.p99),
      okLatency(stats, stats.ok.latencyMs.max),
      formatBytes(stats.ok.dataTransferBytes.total + stats.fail.dataTransferBytes.total),
      { text: formatCount(stats.droppedIterations), ...(stats.droppedIterations > 0 ? { className: 'warn' } : {}) },
    ]),
    'Latency of ok requests; rps (all: ok and failed) over each scenario\'s measured window (warm-up, pauses and the graceful-stop drain excluded).',
  )
}

function scenariosSection(result: RunResult): string {
  if (result.scenarioStats.length === 0) return '<h2>Scenarios</h2>' + paragraph('No scenario ran load.')
  return ['<h2>Scenarios</h2>', ...result.scenarioStats.map(scenarioArticle)].join('\n')
}

function scenarioArticle(stats: ScenarioStats, index: number): string {
  const ids = scenarioChartIds(index)
  const notes = [`Measured for ${formatDuration(stats.durationMs)}.`, `Dropped iterations: ${stats.droppedIterations}.`]
  if (stats.serviceTimeMs !== undefined) {
    notes.push('Open model: latency counts from each iteration\'s intended start (no coordinated omission).')
  }
  const extra: [string, LatencyStats][] = []
  if (stats.serviceTimeMs !== undefined) extra.push(['service time (actual start → end)', stats.serviceTimeMs])
  if (stats.startLagMs !== undefined) extra.push(['start lag (behind schedule)', stats.startLagMs])
  return [
    `<article id="scenario-${index}">`,
    `<h3>${escapeHtml(stats.scenarioName)}</h3>`,
    measurementTable(stats),
    paragraph(notes.join(' ')),
    extra.length === 0
      ? ''
      : htmlTable(
          [{ title: 'open model' }, ...['count', 'mean ms', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'].map(numeric)],
          extra.map(([label, latency]) => [label, formatCount(latency.count), formatMs(latency.mean), formatMs(latency.p50), formatMs(latency.p95), formatMs(latency.p99), formatMs(latency.max)]),
        ),
    '<h4>Data transfer</h4>',
    htmlTable(
      [{ title: 'outcome' }, ...['total', 'min', 'mean', 'p50', 'p95', 'p99', 'max'].map(numeric)],
      (['ok', 'fail'] as const).map((outcome) => {
        const bytes = stats[outcome].dataTransferBytes
        const none = stats[outcome].request.count === 0
        return [outcome, formatBytes(bytes.total), ...[bytes.min, bytes.mean, bytes.p50, bytes.p95, bytes.p99, bytes.max].map((value) => (none ? NO_VALUE : formatBytes(value)))]
      }),
    ),
    charts([
      [ids.rps, `${stats.scenarioName}: requests per second`],
      [ids.latency, `${stats.scenarioName}: latency over time`],
      [ids.distribution, `${stats.scenarioName}: latency distribution`],
    ]),
    '</article>',
  ].join('\n')
}

const NO_VALUE = '-'

const MEASUREMENT_COLUMNS: Column[] = ['count', 'rps', 'min ms', 'mean ms', 'p50 ms', 'p75 ms', 'p95 ms', 'p99 ms', 'max ms', 'stdDev ms'].map(numeric)

function measurementTable(stats: ScenarioStats | StepStats): string {
  return htmlTable([{ title: 'outcome' }, ...MEASUREMENT_COLUMNS], [measurementCells('ok', stats.ok), measurementCells('fail', stats.fail)])
}

function measurementCells(outcome: 'ok' | 'fail', measurement: MeasurementStats): CellInput[] {
  const { request, latencyMs } = measurement
  return [
    { text: outcome, className: outcome },
    formatCount(request.count),
    formatRps(request.rps),
    // Nothing measured reads as a dash, not as 0 ms (as in the console table).
    ...[latencyMs.min, latencyMs.mean, latencyMs.p50, latencyMs.p75, latencyMs.p95, latencyMs.p99, latencyMs.max, latencyMs.stdDev].map((ms) =>
      latencyMs.count === 0 ? NO_VALUE : formatMs(ms),
    ),
  ]
}

function stepsSection(result: RunResult): string {
  const withSteps = result.scenarioStats.filter((stats) => stats.stepStats.length > 0)
  if (withSteps.length === 0) return '<h2>Steps</h2>' + paragraph('No scenario used Step.run.')
  return [
    '<h2>Steps</h2>',
    ...withSteps.map(
      (stats) =>
        `<article><h3>${escapeHtml(stats.scenarioName)}</h3>` +
        htmlTable(
          [{ title: 'step' }, { title: 'outcome' }, ...MEASUREMENT_COLUMNS],
          stats.stepStats.flatMap((step) => [
            [step.stepName, ...measurementCells('ok', step.ok)],
            [step.stepName, ...measurementCells('fail', step.fail)],
          ]),
        ) +
        '</article>',
    ),
  ].join('\n')
}

function statusCodesSection(result: RunResult): string {
  return [
    '<h2>Status codes</h2>',
    ...result.scenarioStats.map(
      (stats) =>
        `<article><h3>${escapeHtml(stats.scenarioName)}</h3>` +
        (stats.statusCodes.length === 0
          ? paragraph('No requests.')
          : htmlTable(
              [{ title: 'status' }, { title: 'outcome' }, numeric('count'), numeric('share'), { title: 'message' }],
              stats.statusCodes.map((code) => [
                code.statusCode,
                { text: code.isError ? 'fail' : 'ok', className: code.isError ? 'fail' : 'ok' },
                formatCount(code.count),
                formatPercent(code.percent),
                { text: code.message, className: 'message' },
              ]),
            )) +
        '</article>',
    ),
  ].join('\n')
}

function errorsSection(result: RunResult): string {
  const withErrors = result.scenarioStats.filter((stats) => stats.errors.length > 0)
  if (withErrors.length === 0) return '<h2>Errors</h2>' + paragraph('No failed requests.')
  return [
    '<h2>Errors</h2>',
    ...withErrors.map(
      (stats) =>
        `<article><h3>${escapeHtml(stats.scenarioName)}</h3>` +
        htmlTable(
          [{ title: 'status' }, numeric('count'), numeric('share of failures'), { title: 'message' }],
          stats.errors.map((error) => [
            error.statusCode,
            formatCount(error.count),
            formatPercent((error.count / Math.max(1, stats.fail.request.count)) * 100),
            { text: error.message, className: 'message' },
          ]),
        ) +
        '</article>',
    ),
  ].join('\n')
}

function nodesSection(result: RunResult): string {
  return [
    '<h2>Nodes</h2>',
    paragraph(
      "Who ran what. In a cluster every node applies its scenarios' whole load shape; the figures are merged exactly (histograms added). " +
        `The generator columns are each node's own health over the load: a node is saturated above ${generatorLimitsText()}, and its latency figures then include its own delays.`,
    ),
    htmlTable(
      [
        { title: 'node' },
        { title: 'type' },
        { title: 'host' },
        numeric('pid'),
        { title: 'scenarios' },
        { title: 'partition' },
        { title: 'state' },
        numeric('CPU % of a core'),
        numeric('loop delay p99 ms'),
        numeric('start lag p99 ms'),
        { title: 'generator' },
      ],
      result.nodes.map((node) => [
        node.nodeId,
        node.nodeType,
        node.host,
        String(node.pid),
        node.scenarios.join(', ') || '—',
        `${node.partition.number + 1} of ${node.partition.count}`,
        node.lost === true ? { text: 'lost (intervals received)', className: 'fail' } : { text: 'ok', className: 'ok' },
        ...generatorCells(node.generator),
      ]),
    ),
  ].join('\n')
}

function generatorCells(usage: LoadGeneratorUsage | undefined): CellInput[] {
  if (usage === undefined) return ['-', '-', '-', '-']
  const problems = generatorProblems(usage)
  return [
    (cpuShare(usage) * 100).toFixed(0),
    usage.eventLoopDelayMs === undefined ? '-' : formatMs(usage.eventLoopDelayMs.p99),
    usage.startLagMs === undefined ? '-' : formatMs(usage.startLagMs.p99),
    problems.length === 0 ? { text: 'healthy', className: 'ok' } : { text: `saturated: ${problems.join(', ')}`, className: 'fail' },
  ]
}

function generatorLimitsText(): string {
  const { eventLoopDelayP99Ms, cpuShare: cpu, startLagP99Ms } = GENERATOR_LIMITS
  return `an event-loop delay p99 of ${eventLoopDelayP99Ms} ms, ${cpu * 100} % of a core or an open-model start lag p99 of ${startLagP99Ms} ms`
}

function warningsSection(result: RunResult): string {
  if (result.warnings.length === 0) return '<h2>Warnings</h2>' + paragraph('None.')
  return `<h2>Warnings</h2><ul class="warnings">${result.warnings.map((warning) => `<li class="warn">${escapeHtml(warning)}</li>`).join('')}</ul>`
}

export function charts(slots: readonly [id: string, label: string][]): string {
  return (
    `<div class="charts">${slots.map(([id, label]) => chartSlot(id, CLIENT_HOOKS.chartAttribute, label)).join('')}</div>` +
    '<p class="no-js-note">Charts need JavaScript; every figure is also in the tables.</p>'
  )
}

function numeric(title: string): Column {
  return { title, numeric: true }
}

function failCell(text: string, failures: number): CellInput {
  return failures > 0 ? { text, className: 'fail' } : text
}

function countBadge(count: number, warn: boolean): { text: string; warn: boolean } {
  return { text: String(count), warn }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0)
}

/** A scenario without ok requests has no ok latency: a dash, not 0 ms. */
function okLatency(stats: ScenarioStats, ms: number): string {
  return stats.ok.latencyMs.count === 0 ? '-' : formatMs(ms)
}
