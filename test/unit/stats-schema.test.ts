import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { initHistograms, parseSerializedScenarioStats, serializedScenarioStatsSchema } from '../../src/stats/index.js'
import { EMPTY_DISTRIBUTION } from '../../src/stats/distribution.js'
import { destroyRecorders, recorder } from './stats-helpers.js'

beforeAll(() => initHistograms())
afterEach(destroyRecorders)

function validStats(): Record<string, unknown> {
  const r = recorder()
  r.recordOk(1000, 10, 200, '')
  r.recordFail(2000, 0, 500, 'boom')
  r.step('login').recordOk(500, 0, 200, '')
  return JSON.parse(JSON.stringify(r.serialize(1000))) as Record<string, unknown>
}

describe('serializedScenarioStatsSchema', () => {
  it('accepts what a recorder serialized, after JSON dropped the undefined open-model fields', () => {
    const input = validStats()
    expect('serviceTimeUs' in input).toBe(false)
    const parsed = parseSerializedScenarioStats(input)
    expect(parsed.serviceTimeUs).toBeUndefined()
    expect(parsed.scenarioName).toBe('checkout')
  })

  it.each([
    ['another version', { version: 3 }, 'version'],
    ['a negative count', { droppedIterations: -1 }, 'droppedIterations'],
    ['a fractional count', { droppedIterations: 1.5 }, 'droppedIterations'],
    ['a negative duration', { durationMs: -5 }, 'durationMs'],
    ['an empty scenario name', { scenarioName: '' }, 'scenarioName'],
    ['a histogram that is not HDR base64', { serviceTimeUs: { ...EMPTY_DISTRIBUTION, histogram: 'not a histogram!' } }, 'serviceTimeUs.histogram'],
    ['a missing field', { ok: undefined }, 'ok'],
  ])('rejects %s', (_, change, path) => {
    const result = serializedScenarioStatsSchema.safeParse({ ...validStats(), ...change })
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path)
  })

  it('rejects counts that do not add up', () => {
    const input = validStats()
    const ok = input['ok'] as Record<string, unknown>
    expect(() => parseSerializedScenarioStats({ ...input, ok: { ...ok, count: 7 } }, 'message from agent-1')).toThrow(
      /Invalid message from agent-1:[\s\S]*ok status codes count 1 requests, ok.count is 7/,
    )
  })

  it('rejects a bad step with its path', () => {
    const input = validStats()
    const steps = input['steps'] as Record<string, unknown>[]
    const bad = { ...input, steps: [{ ...steps[0], fail: { count: 0, latencyUs: 'HIST', bytes: 5, totalBytes: 0 } }] }
    const result = serializedScenarioStatsSchema.safeParse(bad)
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain('steps.0.fail.bytes')
  })
})
