/**
 * The report of a whole test run (`vitest run`, `jest`): one self-contained
 * index.html naming every load test, its file and verdict (with the failure
 * message), and showing its scenarios' table and charts, with a link to the
 * test's own full report. Like the per-run page it inlines uPlot, styles,
 * data and script and forbids every fetch, so it opens from a CI artifact
 * or a mail attachment alike; links are relative to the run's folder.
 */
import { createRunResult, type RunResult } from '../../result/result.js'
import { formatCount, formatMs, formatPercent, formatRps } from '../format.js'
import { buildCharts, SUMMARY_LATENCY_CHART, SUMMARY_RPS_CHART, type ChartSpec } from '../html/chart-data.js'
import { escapeHtml } from '../html/escape.js'
import { htmlTable, paragraph, type CellInput } from '../html/markup.js'
import { renderPage } from '../html/page.js'
import { charts, scenarioSummaryTable } from '../html/sections.js'
import type { FoundEntry } from './entry.js'

export const TEST_RUN_INDEX_FILE = 'index.html'

export function renderTestRunIndex(found: readonly FoundEntry[], problems: readonly string[] = []): string {
  const tests = found.map((item, index) => ({ ...item, index, result: item.entry.result === undefined ? undefined : createRunResult(item.entry.result) }))
  const failed = tests.filter((test) => test.entry.verdict === 'failed').length
  const startedAt = tests.map((test) => test.entry.startedAt).sort()[0] ?? ''
  const meta = `${tests.length} load test${tests.length === 1 ? '' : 's'} · ${tests.length - failed} passed · ${failed} failed${startedAt === '' ? '' : ` · started ${startedAt}`}`
  const chartSpecs = tests.flatMap((test) => (test.result === undefined ? [] : testCharts(test.result, test.index)))
  const problemList = problems.length === 0 ? '' : `<ul class="warnings">${problems.map((problem) => `<li class="warn">${escapeHtml(problem)}</li>`).join('')}</ul>`
  return renderPage({
    title: `loadspec test run: ${meta}`,
    heading: 'loadspec test run',
    meta,
    main: [`<section id="tests">\n<h2>Load tests</h2>`, overviewTable(tests), problemList, '</section>', ...tests.map(testSection)].join('\n'),
    charts: chartSpecs,
    css: INDEX_CSS,
  })
}

interface IndexedTest extends FoundEntry {
  readonly index: number
  readonly result: RunResult | undefined
}

const INDEX_CSS = `
.verdict { font-weight: 600; }
pre.failure { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--panel); border: 1px solid var(--fail); border-radius: 8px; padding: 8px 12px; max-height: 24em; overflow: auto; }
main > section.test { border-top: 1px solid var(--border); margin-top: 24px; }
a { color: var(--accent); }
`

function overviewTable(tests: readonly IndexedTest[]): string {
  if (tests.length === 0) return paragraph('No load test of this run has finished yet.')
  const numeric = (title: string) => ({ title, numeric: true })
  return htmlTable(
    [{ title: 'load test' }, { title: 'file' }, { title: 'verdict' }, { title: 'scenarios' }, numeric('requests'), numeric('fail %'), numeric('rps (all)'), numeric('p99 ms')],
    tests.map((test): CellInput[] => {
      const scenarios = test.result?.scenarioStats ?? []
      const requests = scenarios.reduce((sum, stats) => sum + stats.allRequestCount, 0)
      const failures = scenarios.reduce((sum, stats) => sum + stats.fail.request.count, 0)
      const p99 = Math.max(0, ...scenarios.filter((stats) => stats.ok.latencyMs.count > 0).map((stats) => stats.ok.latencyMs.p99))
      return [
        { text: test.entry.fullName, href: `#${sectionId(test)}` },
        test.entry.file,
        verdictCell(test),
        scenarios.map((stats) => stats.scenarioName).join(', ') || '-',
        test.result === undefined ? '-' : formatCount(requests),
        test.result === undefined ? '-' : { text: formatPercent(requests === 0 ? 0 : (failures / requests) * 100), ...(failures > 0 ? { className: 'fail' } : {}) },
        test.result === undefined ? '-' : formatRps(scenarios.reduce((sum, stats) => sum + stats.allRequestRps, 0)),
        test.result === undefined || p99 === 0 ? '-' : formatMs(p99),
      ]
    }),
    'The slowest scenario\'s p99 of ok requests; each test below, with its full report.',
  )
}

function verdictCell(test: IndexedTest): CellInput {
  return test.entry.verdict === 'passed' ? { text: 'passed', className: 'ok verdict' } : { text: 'failed', className: 'fail verdict' }
}

function testSection(test: IndexedTest): string {
  const { entry, folderName } = test
  const ownReport = entry.reportFiles.find((file) => file.endsWith('.html')) ?? entry.reportFiles[0]
  const links = entry.reportFiles.map((file) => `<a href="${escapeHtml(encodeURI(`${folderName}/${file}`))}">${escapeHtml(file)}</a>`).join(' · ')
  const verdict = entry.verdict === 'passed' ? '<span class="ok verdict">passed</span>' : '<span class="fail verdict">failed</span>'
  return [
    `<section class="test" id="${sectionId(test)}">`,
    `<h2>${escapeHtml(entry.fullName)}</h2>`,
    `<p>${verdict} · <code>${escapeHtml(entry.file)}</code>${ownReport === undefined ? '' : ` · report files: ${links}`}</p>`,
    entry.failureMessage === undefined ? '' : `<pre class="failure">${escapeHtml(entry.failureMessage)}</pre>`,
    test.result === undefined
      ? paragraph('The run produced no result (it failed before load started).')
      : [
          scenarioSummaryTable(test.result),
          ...test.result.warnings.map((warning) => `<p class="warn">${escapeHtml(warning)}</p>`),
          charts([
            [chartId(test.index, SUMMARY_RPS_CHART), `${entry.fullName}: requests per second over time`],
            [chartId(test.index, SUMMARY_LATENCY_CHART), `${entry.fullName}: p99 latency over time`],
          ]),
        ].join('\n'),
    '</section>',
  ].join('\n')
}

/** The run page's two summary charts (rps and p99 over time), with ids of this test. */
function testCharts(result: RunResult, index: number): ChartSpec[] {
  return buildCharts(result)
    .filter((spec) => spec.id === SUMMARY_RPS_CHART || spec.id === SUMMARY_LATENCY_CHART)
    .map((spec) => ({ ...spec, id: chartId(index, spec.id) }))
}

function chartId(testIndex: number, chart: string): string {
  return `test-${testIndex}-${chart}`
}

function sectionId(test: IndexedTest): string {
  return `test-${test.folderName}`
}
