/**
 * A JSON report written before stats kept exact scalars (format version 1,
 * test/fixtures/reports/v1-report.json, written by loadspec at that version)
 * still loads, re-renders and merges; its figures are the ones it showed
 * when it was written.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, test } from 'vitest'
import { createRunResult } from '../../src/index.js'
import { mergeRunResults } from '../../src/result/merge.js'
import { renderReport } from '../../src/reports/render.js'
import { parseRunResultJson } from '../../src/reports/result-schema.js'
import { initHistograms } from '../../src/stats/index.js'
import { runResultOf, okRequests } from '../support/stats-builder.js'

const V1_REPORT = fileURLToPath(new URL('../fixtures/reports/v1-report.json', import.meta.url))
const text = readFileSync(V1_REPORT, 'utf8')

beforeAll(() => initHistograms())

describe('a version 1 JSON report', () => {
  test('loads as version 2 with the figures it was written with', () => {
    expect((JSON.parse(text) as { version: number }).version).toBe(1)
    const serialized = parseRunResultJson(text, 'v1-report.json')
    expect(serialized.version).toBe(2)
    expect(serialized.scenarios.map((stats) => stats.version)).toEqual([2, 2])
    const browse = createRunResult(serialized).getScenarioStats('browse')
    // What that loadspec printed for this run: histogram-derived min, mean and max, the exact byte total.
    expect(browse.ok.request.count).toBe(82)
    expect(browse.fail.request.count).toBe(18)
    expect(browse.ok.latencyMs.min).toBe(5)
    expect(browse.ok.latencyMs.max).toBe(11.007)
    expect(browse.ok.latencyMs.mean).toBeCloseTo(8.07609756097561, 9)
    expect(browse.ok.latencyMs.stdDev).toBeCloseTo(1.9749835912239389, 6)
    expect(browse.ok.latencyMs.p50).toBe(8.003)
    expect(browse.ok.dataTransferBytes.total).toBe(410_000)
    expect(browse.ok.dataTransferBytes.mean).toBe(5000) // the exact total over the count
    expect(browse.startLagMs?.count).toBe(100)
    expect(browse.getStepStats('home').ok.request.count).toBe(100)
    expect(browse.window).toEqual({ startMs: 0, endMs: browse.durationMs, pausedMs: 0 })
    expect(createRunResult(serialized).timeSeries).toHaveLength(4)
  })

  test('renders every report format and merges with a version 2 result', async () => {
    const old = createRunResult(parseRunResultJson(text, 'v1-report.json'))
    for (const format of ['txt', 'md', 'html', 'csv', 'json'] as const) expect(renderReport(format, old).length).toBeGreaterThan(100)
    const now = (await runResultOf({ name: 'checkout', ok: okRequests(10), durationMs: 1000 })).toJSON()
    const merged = createRunResult(mergeRunResults([old.toJSON(), now]))
    expect(merged.getScenarioStats('checkout').ok.request.count).toBe(60)
    // The old part's max is its histogram's (12 ms recorded as the bucket's top, 12.007), the new part's exact.
    expect(merged.getScenarioStats('checkout').ok.latencyMs.max).toBe(12.007)
    expect(merged.getScenarioStats('checkout').ok.latencyMs.min).toBe(1)
  })
})
