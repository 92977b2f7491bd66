/**
 * The HTML report as text: self-contained, escaped, every section and the
 * figures in its tables. How it looks and behaves in a browser is tested in
 * test/integration/reports-browser.test.ts.
 */
import { describe, expect, test } from 'vitest'
import { createRunResult } from '../../src/index.js'
import { formatMs } from '../../src/reports/format.js'
import { renderHtml } from '../../src/reports/html/page.js'
import { AWKWARD_NAME, sampleResult, sampleSerializedResult } from './reports-fixtures.js'

describe('html report', () => {
  test('is one file: chart library, styles, data and script inline, and a policy that forbids loading anything', async () => {
    const html = renderHtml(await sampleResult())
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`)
    expect(html).toMatch(/<script>\/\*! https:\/\/github\.com\/leeoniya\/uPlot \(v1\.6\.\d+\) \*\/\s*var uPlot=/)
    // The markup outside scripts links nowhere but to its own tabs.
    const markup = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')
    expect(markup).not.toMatch(/<(link|img|iframe|object|embed|base)\b/i)
    expect(markup).not.toMatch(/\b(src|href|action)\s*=\s*(?!["']?#)/i)
    expect(markup).not.toMatch(/@import|url\((?!data:)/i)
  })

  test('has a section for each tab', async () => {
    const html = renderHtml(await sampleResult())
    for (const id of ['summary', 'scenarios', 'steps', 'status-codes', 'errors', 'nodes', 'warnings']) {
      expect(html).toContain(`<section id="${id}" data-tab>`)
      expect(html).toContain(`<a href="#${id}" role="tab">`)
    }
  })

  test('shows names and messages as text, never as markup, in tables and in the chart data', async () => {
    const serialized = await sampleSerializedResult()
    const hostile = '</script><script>alert(1)</script>'
    const renamed = JSON.parse(JSON.stringify(serialized).replaceAll(JSON.stringify(AWKWARD_NAME).slice(1, -1), hostile.replaceAll('/', '\\/')))
    const html = renderHtml(createRunResult(renamed))
    expect(html).not.toContain('<script>alert(1)</script>')
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('\\u003c/script\\u003e\\u003cscript\\u003ealert(1)')
    // Four script elements of its own: chart data, locale guard, uPlot, the report client.
    expect(html.match(/<\/script>/g)).toHaveLength(4)
  })

  test("every scenario's ok latency percentiles are in its table", async () => {
    const result = await sampleResult()
    const html = renderHtml(result)
    for (const stats of result.scenarioStats) {
      const { latencyMs } = stats.ok
      const cells = [latencyMs.p50, latencyMs.p75, latencyMs.p95, latencyMs.p99, latencyMs.max].map((ms) => `<td class="num">${formatMs(ms)}</td>`).join('')
      expect(html).toContain(cells)
    }
  })

  test("the nodes tab shows each node's generator health and names a saturated one's figures", async () => {
    const serialized = await sampleSerializedResult()
    const generator = { wallMs: 2000, cpuUserMs: 1800, cpuSystemMs: 100, eventLoopUtilization: 0.99, eventLoopDelayMs: { p50: 20, p99: 812.5, max: 1200 } }
    const [first, ...others] = serialized.nodes
    const html = renderHtml(createRunResult({ ...serialized, nodes: [{ ...first!, generator }, ...others] }))
    const nodes = html.slice(html.indexOf('<section id="nodes"'), html.indexOf('<section id="warnings"'))
    expect(nodes).toContain('CPU % of a core</th><th class="num" scope="col">loop delay p99 ms</th><th class="num" scope="col">start lag p99 ms</th><th scope="col">generator</th>')
    expect(nodes).toContain('<td class="num">95</td><td class="num">812.50</td><td class="num">-</td><td class="fail">saturated: event-loop delay p99 812.5 ms (limit 50 ms), CPU 95 % of a core (limit 90 %)</td>')
  })

  test('a result with no scenarios and no nodes still renders', () => {
    const html = renderHtml(
      createRunResult({
        version: 2,
        startedAt: '2025-01-01T00:00:00.000Z',
        durationMs: 0,
        incomplete: true,
        nodes: [],
        warnings: [],
        reportFiles: [],
        scenarios: [],
        timeSeries: { intervalMs: 1000, points: [] },
      }),
    )
    expect(html).toContain('No scenario ran load.')
    expect(html).toContain('Incomplete')
  })
})
