/**
 * The text reports (md, csv, txt) hold the result's own numbers: each test
 * parses a table back and compares its cells with the RunResult, so a wrong
 * column, unit or rounding fails here without any snapshot.
 */
import { describe, expect, test } from 'vitest'
import type { MeasurementStats, RunResult, ScenarioStats, StepStats } from '../../src/index.js'
import { CSV_COLUMNS, renderCsv } from '../../src/reports/csv.js'
import { formatMs, formatRps } from '../../src/reports/format.js'
import { renderMarkdown } from '../../src/reports/markdown.js'
import { renderReport } from '../../src/reports/render.js'
import { formatStatsTable } from '../../src/reports/stats-table.js'
import { formatRunSummary } from '../../src/reports/summary.js'
import { AWKWARD_NAME, CHECKOUT, sampleResult } from './reports-fixtures.js'

/** A figure shown with 2 decimals is within half a unit of its last digit. */
const ROUNDED_MS = 0.005 + 1e-9

describe('csv report', () => {
  test('one row per scenario/step and outcome, every figure at full precision', async () => {
    const result = await sampleResult()
    const [header, ...rows] = parseCsv(renderCsv(result))
    expect(header).toEqual([...CSV_COLUMNS])
    const records = rows.map((row) => Object.fromEntries(CSV_COLUMNS.map((column, index) => [column, row[index] ?? ''])))
    // 2 scenarios × 2 outcomes, plus 2 steps × 2 outcomes.
    expect(records).toHaveLength(8)
    for (const stats of result.scenarioStats) {
      for (const target of [stats, ...stats.stepStats]) {
        const stepName = target.kind === 'step' ? target.stepName : ''
        for (const outcome of ['ok', 'fail'] as const) {
          const record = records.find((entry) => entry['scenario'] === stats.scenarioName && entry['step'] === stepName && entry['outcome'] === outcome)
          expect(record, `${stats.scenarioName}/${stepName}/${outcome}`).toBeDefined()
          const measurement = target[outcome]
          expect(numbersOf(record ?? {})).toEqual(expectedCsvNumbers(target, measurement))
          const dropped = target.kind === 'scenario' && outcome === 'ok' ? String(target.droppedIterations) : ''
          expect(record?.['dropped_iterations']).toBe(dropped)
        }
      }
    }
  })

  test('quotes fields holding commas and quotes (RFC 4180)', async () => {
    const csv = renderCsv(await sampleResult())
    expect(csv).toContain('"search, ""fuzzy"" | <b>list</b>",,ok,40,')
    expect(csv.endsWith('\r\n')).toBe(true)
  })
})

describe('markdown report', () => {
  test('the scenarios table shows each scenario\'s counts, rps and ok latency', async () => {
    const result = await sampleResult()
    const rows = tableAfter(renderMarkdown(result), '## Scenarios')
    expect(rows.map((row) => row['scenario'])).toEqual([CHECKOUT, AWKWARD_NAME.replace(/</g, '&lt;').replace(/>/g, '&gt;')])
    result.scenarioStats.forEach((stats, index) => {
      const row = rows[index] ?? {}
      expect(Number(row['requests'])).toBe(stats.allRequestCount)
      expect(Number(row['ok'])).toBe(stats.ok.request.count)
      expect(Number(row['fail'])).toBe(stats.fail.request.count)
      expect(row['rps (all)']).toBe(formatRps(stats.allRequestRps))
      expect(Math.abs(Number(row['p99 ms']) - stats.ok.latencyMs.p99)).toBeLessThanOrEqual(ROUNDED_MS)
      expect(Math.abs(Number(row['p50 ms']) - stats.ok.latencyMs.p50)).toBeLessThanOrEqual(ROUNDED_MS)
      expect(Number(row['dropped'])).toBe(stats.droppedIterations)
    })
  })

  test('each scenario has its ok/fail table, steps, status codes and errors', async () => {
    const result = await sampleResult()
    const markdown = renderMarkdown(result)
    const stats = result.getScenarioStats(CHECKOUT)
    const [ok, fail] = tableAfter(markdown, `## Scenario: ${CHECKOUT}`)
    expectMeasurementRow(ok ?? {}, stats.ok)
    expectMeasurementRow(fail ?? {}, stats.fail)

    const steps = tableAfter(markdown.slice(markdown.indexOf(`## Scenario: ${CHECKOUT}`)), '### Steps')
    for (const step of stats.stepStats) {
      const row = steps.find((entry) => entry['step'] === step.stepName && entry['outcome'] === 'ok') ?? {}
      expectMeasurementRow(row, step.ok)
    }

    const codes = tableAfter(markdown, '### Status codes')
    expect(codes.map((row) => [row['status'], row['outcome'], Number(row['count'])])).toEqual(
      stats.statusCodes.map((code) => [code.statusCode, code.isError ? 'fail' : 'ok', code.count]),
    )
    const errors = tableAfter(markdown, '### Errors')
    expect(errors.map((row) => [row['status'], Number(row['count']), row['message']])).toEqual(
      stats.errors.map((error) => [error.statusCode, error.count, error.message]),
    )
  })

  test('nodes and warnings', async () => {
    const result = await sampleResult()
    const markdown = renderMarkdown(result)
    const nodes = tableAfter(markdown, '## Nodes')
    expect(nodes.map((row) => [row['node'], row['type'], row['partition']])).toEqual([
      ['coordinator-1', 'Coordinator', '1 of 2'],
      ['agent-1', 'Agent', '2 of 2'],
    ])
    expect(markdown).toContain(`- ${result.warnings[0]}`)
  })

  test('a pipe in a name stays inside its cell', async () => {
    const markdown = renderMarkdown(await sampleResult())
    const line = markdown.split('\n').find((text) => text.startsWith('| search'))
    expect(line).toContain('search, "fuzzy" \\| &lt;b&gt;list&lt;/b&gt;')
  })
})

describe('txt report and console summary', () => {
  test('the txt report is the summary: every scenario and step table, nodes and warnings', async () => {
    const result = await sampleResult()
    const text = renderReport('txt', result)
    expect(text).toBe(formatRunSummary(result))
    for (const stats of result.scenarioStats) {
      expect(text).toContain(formatStatsTable(stats))
      for (const step of stats.stepStats) expect(text).toContain(formatStatsTable(step))
    }
    expect(text).toContain('coordinator-1 (Coordinator, ci-1 pid 101): checkout, partition 1 of 2')
    expect(text).toContain(`  - ${result.warnings[0]}`)
    expect(text.split('\n')[0]).toBe('loadspec: 2 scenarios on 2 nodes, 2.1 s, started 2025-03-04T05:06:07.890Z')
  })

  test("the scenario table's ok and fail rows hold the result's numbers", async () => {
    const result = await sampleResult()
    const stats = result.getScenarioStats(CHECKOUT)
    const lines = formatRunSummary(result).split('\n')
    const headerIndex = lines.findIndex((line) => line.startsWith(`scenario "${CHECKOUT}"`)) + 1
    const columns = (lines[headerIndex] ?? '').trim().split(/\s{2,}/)
    for (const [offset, measurement] of [[1, stats.ok], [2, stats.fail]] as const) {
      const [outcome, ...cells] = (lines[headerIndex + offset] ?? '').trim().split(/\s{2,}/)
      expect(outcome).toBe(offset === 1 ? 'ok' : 'fail')
      const row = Object.fromEntries(columns.map((column, index) => [column, cells[index] ?? '']))
      expect(Number(row['count'])).toBe(measurement.request.count)
      expect(row['rps']).toBe(formatRps(measurement.request.rps))
      expect(Math.abs(Number(row['p99 ms']) - measurement.latencyMs.p99)).toBeLessThanOrEqual(ROUNDED_MS)
      expect(Math.abs(Number(row['max ms']) - measurement.latencyMs.max)).toBeLessThanOrEqual(ROUNDED_MS)
    }
  })

  test('report files are listed relative to the working folder when asked', async () => {
    const result = await sampleResult()
    const withFiles = { ...result, reportFiles: ['/work/x/load-reports/run/loadspec-report.html', '/elsewhere/r.json'] } as RunResult
    const text = formatRunSummary(withFiles, { reportFiles: true, cwd: '/work/x' })
    expect(text).toContain('reports:\n  load-reports/run/loadspec-report.html\n  /elsewhere/r.json')
    expect(formatRunSummary(withFiles)).not.toContain('reports:')
  })
})

function expectMeasurementRow(row: Record<string, string>, measurement: MeasurementStats): void {
  expect(Number(row['count'])).toBe(measurement.request.count)
  expect(row['rps']).toBe(formatRps(measurement.request.rps))
  const latency = measurement.latencyMs
  const expected: Record<string, number> = {
    'min ms': latency.min,
    'mean ms': latency.mean,
    'p50 ms': latency.p50,
    'p75 ms': latency.p75,
    'p95 ms': latency.p95,
    'p99 ms': latency.p99,
    'max ms': latency.max,
  }
  for (const [column, value] of Object.entries(expected)) {
    if (latency.count === 0) expect(row[column]).toBe('-')
    else expect(row[column], column).toBe(formatMs(value))
  }
}

function expectedCsvNumbers(stats: ScenarioStats | StepStats, measurement: MeasurementStats): Record<string, number> {
  const { request, latencyMs, dataTransferBytes } = measurement
  return {
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
    duration_ms: stats.durationMs,
  }
}

function numbersOf(record: Record<string, string>): Record<string, number> {
  const { scenario: _s, step: _t, outcome: _o, dropped_iterations: _d, ...numeric } = record
  return Object.fromEntries(Object.entries(numeric).map(([key, value]) => [key, Number(value)]))
}

/** The rows of the first Markdown table after `heading`, keyed by its header cells. */
function tableAfter(markdown: string, heading: string): Record<string, string>[] {
  const start = markdown.indexOf(`${heading}\n`)
  if (start < 0) throw new Error(`no heading ${heading}`)
  const lines = markdown.slice(start).split('\n')
  const first = lines.findIndex((line) => line.startsWith('|'))
  const tableLines: string[] = []
  for (const line of lines.slice(first)) {
    if (!line.startsWith('|')) break
    tableLines.push(line)
  }
  const [header, , ...rows] = tableLines.map(markdownCells)
  return rows.map((cells) => Object.fromEntries((header ?? []).map((name, index) => [name, cells[index] ?? ''])))
}

function markdownCells(line: string): string[] {
  // Split on pipes that are not escaped, then unescape.
  return line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'))
}

/** RFC 4180 parsing, enough for the report: quoted fields, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let index = 0; index < text.length; index++) {
    const char = text[index]
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"'
        index++
      } else if (char === '"') quoted = false
      else field += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      row.push(field)
      field = ''
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      index++
    } else field += char
  }
  return rows
}
