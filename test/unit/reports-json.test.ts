/** The JSON report is the whole result, schema-versioned, and reads back to the same result; bad files say what is wrong. */
import { describe, expect, test } from 'vitest'
import { createRunResult } from '../../src/index.js'
import { renderJson } from '../../src/reports/json.js'
import { renderReport } from '../../src/reports/render.js'
import { parseRunResult, parseRunResultJson } from '../../src/reports/result-schema.js'
import { plain } from './stats-helpers.js'
import { CHECKOUT, sampleSerializedResult } from './reports-fixtures.js'

describe('json report', () => {
  test('holds the serialized result, histograms and time series included, and reads back unchanged', async () => {
    const serialized = await sampleSerializedResult()
    const text = renderReport('json', createRunResult(serialized))
    expect(JSON.parse(text)).toEqual(plain(serialized))
    const read = parseRunResultJson(text, 'r.json')
    expect(read).toEqual(plain(serialized))
    expect(read.version).toBe(2)
    expect(read.scenarios[0]?.ok.latencyUs.histogram).toMatch(/^HIST/)
    expect(read.timeSeries.points).toHaveLength(4)
    // The figures rebuilt from the file are the figures of the run.
    const original = createRunResult(serialized).getScenarioStats(CHECKOUT)
    const reread = createRunResult(read).getScenarioStats(CHECKOUT)
    expect(plain(reread.ok)).toEqual(plain(original.ok))
    expect(reread.ok.latencyMs.percentile(99.9)).toBe(original.ok.latencyMs.percentile(99.9))
  })

  test('rejects text that is not JSON, naming the file', () => {
    expect(() => parseRunResultJson('{"version": 1,', 'a.json')).toThrow(/^a\.json is not JSON \(.+\); expected a loadspec JSON report$/)
  })

  test('rejects another format version with a readable message', async () => {
    const serialized = { ...plain(await sampleSerializedResult()) as object, version: 3 }
    expect(() => parseRunResult(serialized, 'b.json')).toThrow(/b\.json is not a valid loadspec result:[\s\S]*format version 3; this loadspec reads versions 1 and 2[\s\S]*at version/)
  })

  test('lists every problem with its path', async () => {
    const serialized = plain(await sampleSerializedResult()) as Record<string, unknown> & { scenarios: Record<string, unknown>[] }
    delete serialized['nodes']
    const first = serialized.scenarios[0] as { ok: Record<string, Record<string, unknown> | number> }
    first.ok['latencyUs'] = { ...(first.ok['latencyUs'] as Record<string, unknown>), histogram: 'not a histogram', count: 1 }
    first.ok['bytes'] = { ...(first.ok['bytes'] as Record<string, unknown>), count: 1 }
    first.ok['count'] = 1
    let message = ''
    try {
      parseRunResult(serialized, 'c.json')
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toContain('c.json is not a valid loadspec result')
    expect(message).toMatch(/at nodes/)
    expect(message).toMatch(/expected an HDR histogram[\s\S]*at scenarios\[0\]\.ok\.latencyUs\.histogram/)
    expect(message).toMatch(/ok status codes count \d+ requests, ok\.count is 1[\s\S]*at scenarios\[0\]\.statusCodes/)
  })

  test('is indented for people and ends with a newline', async () => {
    const text = renderJson(await sampleSerializedResult())
    expect(text.startsWith('{\n  "version": 2,')).toBe(true)
    expect(text.endsWith('}\n')).toBe(true)
  })
})
