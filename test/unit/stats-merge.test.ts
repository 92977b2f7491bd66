import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  MAX_ERROR_GROUPS,
  OTHER_ERRORS_MESSAGE,
  buildScenarioStats,
  initHistograms,
  mergeScenarioStats,
  parseSerializedScenarioStats,
} from '../../src/stats/index.js'
import { destroyRecorders, plain, recorder, withinHdrPrecision } from './stats-helpers.js'

beforeAll(() => initHistograms())
afterEach(destroyRecorders)

describe('mergeScenarioStats', () => {
  it('is exact for skewed nodes, where averaging percentiles is far off', () => {
    const nodeA = recorder('checkout')
    const nodeB = recorder('checkout')
    const everything = recorder('checkout')
    const record = (latencyUs: number, ...into: ReturnType<typeof recorder>[]) => {
      for (const r of into) r.recordOk(latencyUs, 0, 200, '')
    }
    for (let i = 0; i < 10_000; i++) record(2000, nodeA, everything)
    for (let i = 0; i < 2000; i++) record(i % 5 === 4 ? 80_000 : 2000, nodeB, everything)

    const a = buildScenarioStats(nodeA.serialize(10_000))
    const b = buildScenarioStats(nodeB.serialize(10_000))
    const merged = buildScenarioStats(mergeScenarioStats([nodeA.serialize(10_000), nodeB.serialize(10_000)]))
    const single = buildScenarioStats(everything.serialize(10_000))

    expect(merged.ok.request.count).toBe(12_000)
    for (const p of [50, 75, 95, 99, 99.9] as const) {
      expect(withinHdrPrecision(merged.ok.latencyMs.percentile(p), single.ok.latencyMs.percentile(p))).toBe(true)
    }
    expect(withinHdrPrecision(merged.ok.latencyMs.max, single.ok.latencyMs.max)).toBe(true)
    expect(withinHdrPrecision(merged.ok.latencyMs.mean, single.ok.latencyMs.mean)).toBe(true)
    // 400 of 12 000 samples (3.3 %) are slow: p95 is fast, p99 is slow.
    expect(withinHdrPrecision(merged.ok.latencyMs.p95, 2)).toBe(true)
    expect(withinHdrPrecision(merged.ok.latencyMs.p99, 80)).toBe(true)

    // What LoadStrike does: average the nodes' percentiles weighted by request count.
    const weighted = (p: 'p95' | 'p99') =>
      (a.ok.latencyMs[p] * a.ok.request.count + b.ok.latencyMs[p] * b.ok.request.count) /
      (a.ok.request.count + b.ok.request.count)
    expect(weighted('p95')).toBeGreaterThan(14) // ≈ 15 ms where the truth is 2 ms: 7.5× too slow
    expect(weighted('p95') / merged.ok.latencyMs.p95).toBeGreaterThan(7)
    expect(weighted('p99')).toBeLessThan(16) // ≈ 15 ms where the truth is 80 ms: 5× too fast
    expect(merged.ok.latencyMs.p99 / weighted('p99')).toBeGreaterThan(5)
  })

  it('sums counters, unites status codes and errors, merges steps by name and open-model histograms', () => {
    const a = recorder('s', true)
    const b = recorder('s', true)
    a.recordOk(1000, 10, 200, '')
    a.recordFail(5000, 0, 500, 'boom')
    a.recordServiceTime(900)
    a.recordStartLag(100)
    a.recordDropped(2)
    a.step('login').recordOk(500, 0, 200, '')
    b.recordOk(2000, 20, 200, 'ok from b')
    b.recordFail(6000, 0, 500, 'boom')
    b.recordFail(7000, 0, 'timeout', 'slow')
    b.recordServiceTime(1900)
    b.recordStartLag(300)
    b.recordDropped(3)
    b.step('pay').recordOk(800, 0, 200, '')
    b.step('login').recordFail(900, 0, 401, 'denied')

    const merged = mergeScenarioStats([a.serialize(1000), b.serialize(1500)])
    expect(parseSerializedScenarioStats(JSON.parse(JSON.stringify(merged)))).toEqual(merged)
    expect(merged.durationMs).toBe(1500)
    expect(merged.droppedIterations).toBe(5)
    expect(merged.ok.count).toBe(2)
    expect(merged.ok.bytes.sum).toBe(30)
    expect(merged.fail.count).toBe(3)
    expect(merged.statusCodes).toEqual([
      { statusCode: '200', isError: false, count: 2, message: 'ok from b' },
      { statusCode: '500', isError: true, count: 2, message: 'boom' },
      { statusCode: 'timeout', isError: true, count: 1, message: 'slow' },
    ])
    expect(merged.errors).toEqual([
      { statusCode: '500', message: 'boom', count: 2 },
      { statusCode: 'timeout', message: 'slow', count: 1 },
    ])
    expect(merged.steps.map((s) => [s.stepName, s.ok.count, s.fail.count])).toEqual([
      ['login', 1, 1],
      ['pay', 1, 0],
    ])

    const stats = buildScenarioStats(merged)
    expect(stats.ok.latencyMs.min).toBe(1)
    expect(stats.ok.latencyMs.max).toBe(2)
    expect(stats.serviceTimeMs?.count).toBe(2)
    expect(stats.serviceTimeMs?.max).toBe(1.9)
    expect(stats.startLagMs?.min).toBe(0.1)
    expect(stats.ok.request.rps).toBeCloseTo(2 / 1.5, 10)
  })

  it('returns the same stats for a single part', () => {
    const r = recorder()
    r.recordOk(1234, 5, 200, '')
    const only = r.serialize(100)
    expect(plain(buildScenarioStats(mergeScenarioStats([only])))).toEqual(plain(buildScenarioStats(only)))
  })

  it('keeps the error-group cap when the union of nodes exceeds it', () => {
    const a = recorder()
    const b = recorder()
    for (let i = 0; i < MAX_ERROR_GROUPS; i++) {
      a.recordFail(1000, 0, 500, `a ${i}`)
      b.recordFail(1000, 0, 500, `b ${i}`)
    }
    b.recordFail(1000, 0, 500, 'b 0') // 'b 0' is the most frequent group and must survive the fold
    const merged = mergeScenarioStats([a.serialize(1), b.serialize(1)])
    expect(merged.errors).toHaveLength(MAX_ERROR_GROUPS + 1)
    expect(merged.errors[0]).toEqual({ statusCode: '500', message: 'b 0', count: 2 })
    expect(merged.errors.at(-1)).toMatchObject({ message: OTHER_ERRORS_MESSAGE, count: MAX_ERROR_GROUPS })
    expect(merged.errors.reduce((sum, g) => sum + g.count, 0)).toBe(2 * MAX_ERROR_GROUPS + 1)
  })

  it('refuses parts of different scenarios and an empty list', () => {
    expect(() => mergeScenarioStats([recorder('a').serialize(1), recorder('b').serialize(1)])).toThrow(
      "Cannot merge stats of different scenarios: 'a' and 'b'",
    )
    expect(() => mergeScenarioStats([])).toThrow('needs at least one part')
  })
})
