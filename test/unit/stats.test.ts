import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  EMPTY_HISTOGRAM,
  MAX_ERROR_GROUPS,
  OTHER_ERRORS_MESSAGE,
  OTHER_STATUS_CODE,
  buildScenarioStats,
  decodeHistogram,
  initHistograms,
  parseSerializedScenarioStats,
} from '../../src/stats/index.js'
import { createHistogram, encodeHistogram } from '../../src/stats/histogram.js'
import { EMPTY_DISTRIBUTION } from '../../src/stats/distribution.js'
import { destroyRecorders, plain, recorder, withinHdrPrecision } from './stats-helpers.js'

beforeAll(() => initHistograms())
afterEach(destroyRecorders)

describe('ScenarioRecorder', () => {
  it('counts ok and failed requests, status codes, errors and sizes', () => {
    const r = recorder()
    r.recordOk(2000, 100, 200, '')
    r.recordOk(4000, 300, '200', 'fine') // same code as a string: one entry once serialized
    r.recordOk(6000, 0, 201, 'created')
    r.recordFail(10_000, 50, 500, 'boom')
    r.recordFail(12_000, 0, 500, 'boom')
    r.recordFail(1000, 0, 'timeout', 'took too long')
    r.recordFail(3000, 0, 500, 'other message')

    const stats = buildScenarioStats(r.serialize(2000))

    expect(stats.kind).toBe('scenario')
    expect(stats.scenarioName).toBe('checkout')
    expect(stats.allRequestCount).toBe(7)
    expect(stats.durationMs).toBe(2000)
    expect(stats.ok.request).toEqual({ count: 3, rps: 1.5, percent: (3 / 7) * 100 })
    expect(stats.fail.request).toEqual({ count: 4, rps: 2, percent: (4 / 7) * 100 })
    expect(stats.ok.latencyMs.count).toBe(3)
    expect(stats.ok.latencyMs.min).toBe(2)
    expect(stats.ok.latencyMs.max).toBeCloseTo(6, 2)
    expect(stats.ok.latencyMs.mean).toBeCloseTo(4, 2)
    expect(stats.fail.latencyMs.min).toBe(1)
    expect(stats.ok.dataTransferBytes.total).toBe(400)
    expect(stats.ok.dataTransferBytes.min).toBe(0)
    expect(stats.ok.dataTransferBytes.max).toBe(300)
    expect(stats.fail.dataTransferBytes.total).toBe(50)

    expect(stats.statusCodes).toEqual([
      { statusCode: '500', isError: true, count: 3, percent: (3 / 7) * 100, message: 'boom' },
      { statusCode: '200', isError: false, count: 2, percent: (2 / 7) * 100, message: 'fine' },
      { statusCode: '201', isError: false, count: 1, percent: (1 / 7) * 100, message: 'created' },
      { statusCode: 'timeout', isError: true, count: 1, percent: (1 / 7) * 100, message: 'took too long' },
    ])
    expect(stats.errors).toEqual([
      { statusCode: '500', message: 'boom', count: 2 },
      { statusCode: '500', message: 'other message', count: 1 },
      { statusCode: 'timeout', message: 'took too long', count: 1 },
    ])
    expect(stats.serviceTimeMs).toBeUndefined()
    expect(stats.startLagMs).toBeUndefined()
    expect(stats.droppedIterations).toBe(0)
  })

  it('keeps the same status code apart when it was once ok and once a failure', () => {
    const r = recorder()
    r.recordOk(1000, 0, 200, '')
    r.recordFail(1000, 0, 200, 'body did not match')
    const codes = buildScenarioStats(r.serialize(1000)).statusCodes
    expect(codes.map((c) => [c.statusCode, c.isError, c.count])).toEqual([
      ['200', false, 1],
      ['200', true, 1],
    ])
  })

  it('records 0 as 0, rounds fractions, and clamps negative and NaN values to 0', () => {
    const r = recorder()
    r.recordOk(0, 0, 200, '')
    r.recordOk(1499.6, 10.4, 200, '')
    r.recordOk(-5, -1, 200, '')
    r.recordOk(Number.NaN, Number.NaN, 200, '')
    const ok = buildScenarioStats(r.serialize(1000)).ok
    expect(ok.latencyMs.count).toBe(4)
    expect(ok.latencyMs.min).toBe(0)
    expect(ok.latencyMs.max).toBe(1.5)
    expect(ok.dataTransferBytes.total).toBe(10)
  })

  it('records service time, start lag and dropped iterations for an open model', () => {
    const r = recorder('open', true)
    for (let i = 1; i <= 100; i++) {
      r.recordOk(i * 1000, 0, 200, '')
      r.recordServiceTime(i * 900)
      r.recordStartLag(i * 10)
    }
    r.recordDropped()
    r.recordDropped(4)
    const stats = buildScenarioStats(r.serialize(1000))
    expect(stats.droppedIterations).toBe(5)
    expect(stats.serviceTimeMs?.count).toBe(100)
    expect(withinHdrPrecision(stats.serviceTimeMs?.p50 ?? 0, 45)).toBe(true)
    expect(stats.startLagMs?.max).toBe(1)
    expect(() => r.recordDropped(-1)).toThrow(RangeError)
  })

  it('refuses open-model measures on a closed-model recorder', () => {
    expect(() => recorder().recordServiceTime(10)).toThrow(/openModel: false/)
    expect(() => recorder().recordStartLag(10)).toThrow(/openModel: false/)
  })

  it('keeps step stats apart and gives the same step recorder for the same name', () => {
    const r = recorder()
    const login = r.step('login')
    expect(r.step('login')).toBe(login)
    login.recordOk(1000, 10, 200, '')
    login.recordFail(2000, 0, 401, 'denied')
    r.step('pay').recordOk(5000, 0, 200, '')
    r.recordOk(8000, 0, 200, '')

    const stats = buildScenarioStats(r.serialize(1000))
    expect(stats.stepStats.map((s) => s.stepName)).toEqual(['login', 'pay'])
    const loginStats = stats.getStepStats('login')
    expect(loginStats.kind).toBe('step')
    expect(loginStats.scenarioName).toBe('checkout')
    expect(loginStats.allRequestCount).toBe(2)
    expect(loginStats.ok.request.percent).toBe(50)
    expect(loginStats.errors).toEqual([{ statusCode: '401', message: 'denied', count: 1 }])
    expect(withinHdrPrecision(stats.getStepStats('pay').ok.latencyMs.max, 5)).toBe(true)
    expect(stats.allRequestCount).toBe(1)
    expect(() => stats.getStepStats('logout')).toThrow("Scenario 'checkout' has no step 'logout'. Known steps: 'login', 'pay'")
  })

  it('discards everything on reset() and keeps recording afterwards', () => {
    const r = recorder('warm', true)
    const step = r.step('s')
    for (let i = 0; i < 50; i++) {
      r.recordOk(100_000, 10, 200, '')
      r.recordFail(100_000, 10, 500, 'cold')
      r.recordServiceTime(100_000)
      r.recordStartLag(100)
      step.recordOk(100_000, 0, 200, '')
    }
    r.recordDropped(3)
    r.reset()

    const empty = r.serialize(0)
    expect(empty.ok).toEqual({ count: 0, latencyUs: EMPTY_DISTRIBUTION, bytes: EMPTY_DISTRIBUTION })
    expect(empty.fail.count).toBe(0)
    expect(empty.statusCodes).toEqual([])
    expect(empty.errors).toEqual([])
    expect(empty.droppedIterations).toBe(0)
    expect(empty.serviceTimeUs).toBe(EMPTY_DISTRIBUTION)
    expect(empty.startLagUs).toBe(EMPTY_DISTRIBUTION)
    expect(empty.steps).toEqual([{ stepName: 's', ok: empty.ok, fail: empty.fail, statusCodes: [], errors: [] }])

    r.recordOk(2000, 5, 200, '')
    step.recordOk(1000, 0, 200, '') // a step recorder held across the reset still records
    const stats = buildScenarioStats(r.serialize(1000))
    expect(stats.ok.request.count).toBe(1)
    expect(stats.ok.latencyMs.max).toBe(2)
    expect(stats.getStepStats('s').ok.latencyMs.max).toBe(1)
  })

  it('serializes mid-recording without disturbing the recording', () => {
    const r = recorder()
    for (let i = 0; i < 1000; i++) r.recordOk(1000, 0, 200, '')
    const early = r.serialize(1000)
    for (let i = 0; i < 1000; i++) r.recordOk(3000, 0, 200, '')
    const late = buildScenarioStats(r.serialize(2000))
    expect(buildScenarioStats(early).ok.latencyMs.max).toBe(1)
    expect(late.ok.request.count).toBe(2000)
    expect(late.ok.request.rps).toBe(1000)
    expect(late.ok.latencyMs.p50).toBe(1)
    // HDR reports the highest value equivalent to 3000 µs (3001 µs): conservative, within 0.1 %.
    expect(withinHdrPrecision(late.ok.latencyMs.max, 3)).toBe(true)
  })

  it('destroy() frees the recorder once, however often it is called', () => {
    const r = recorder('d', true)
    r.step('s').recordOk(1, 1, 200, '')
    r.destroy()
    expect(() => r.destroy()).not.toThrow()
    expect(() => r.serialize(1)).toThrow("Cannot serialize the recorder of scenario 'd': it was destroyed")
    expect(() => r.step('new')).toThrow(/destroyed/)
  })

  it('keeps memory bounded when every failure has a different message', () => {
    const r = recorder()
    const messages = Array.from({ length: MAX_ERROR_GROUPS + 500 }, (_, i) => `order ${i} failed`)
    for (const message of messages) r.recordFail(1000, 0, 500, message)
    for (const message of messages) r.recordFail(1000, 0, 500, message) // existing groups and the overflow group grow by count only
    const s = r.serialize(1000)
    expect(s.errors).toHaveLength(MAX_ERROR_GROUPS + 1)
    expect(s.errors.at(-1)).toEqual({ statusCode: OTHER_STATUS_CODE, message: OTHER_ERRORS_MESSAGE, count: 1000 })
    expect(s.errors.reduce((sum, g) => sum + g.count, 0)).toBe(2 * messages.length)
    expect(s.statusCodes).toEqual([{ statusCode: '500', isError: true, count: 2 * messages.length, message: 'order 0 failed' }])
  })

  it('keeps memory bounded when every request has a different status code', () => {
    const r = recorder()
    for (let i = 0; i < 1500; i++) r.recordOk(1000, 0, i, '')
    const codes = r.serialize(1000).statusCodes
    expect(codes).toHaveLength(1001)
    expect(codes.at(-1)).toMatchObject({ statusCode: OTHER_STATUS_CODE, count: 500 })
  })
})

describe('buildScenarioStats', () => {
  it('gives the same stats after a JSON round trip through the schema', () => {
    const r = recorder('trip', true)
    for (let i = 1; i <= 5000; i++) {
      r.recordOk(i * 7, i % 300, 200, '')
      if (i % 10 === 0) r.recordFail(i * 13, 0, 503, 'busy')
      r.recordServiceTime(i * 5)
      r.recordStartLag(i % 50)
      r.step('inner').recordOk(i * 3, 0, 200, '')
    }
    const direct = buildScenarioStats(r.serialize(5000))
    const json = JSON.stringify(r.serialize(5000))
    const rebuilt = buildScenarioStats(parseSerializedScenarioStats(JSON.parse(json)))
    expect(plain(rebuilt)).toEqual(plain(direct))
    expect(rebuilt.ok.latencyMs.percentile(99.9)).toBe(direct.ok.latencyMs.percentile(99.9))
    expect(rebuilt.serviceTimeMs?.p99).toBe(direct.serviceTimeMs?.p99)
  })

  it('reads percentiles of a uniform distribution within HDR precision', () => {
    const r = recorder()
    for (let us = 1; us <= 100_000; us++) r.recordOk(us, us, 200, '')
    const { latencyMs, dataTransferBytes } = buildScenarioStats(r.serialize(1000)).ok
    for (const p of [50, 75, 90, 95, 99, 99.9]) {
      expect(withinHdrPrecision(latencyMs.percentile(p), p)).toBe(true) // p % of 100 ms is p ms
      expect(withinHdrPrecision(dataTransferBytes.percentile(p), p * 1000)).toBe(true)
    }
    expect(withinHdrPrecision(latencyMs.p95, 95)).toBe(true)
    expect(latencyMs.min).toBe(0.001)
    expect(withinHdrPrecision(latencyMs.max, 100)).toBe(true)
    expect(withinHdrPrecision(latencyMs.mean, 50)).toBe(true)
    expect(Math.abs(latencyMs.stdDev - 100 / Math.sqrt(12)) / (100 / Math.sqrt(12))).toBeLessThan(0.001)
    expect(latencyMs.percentile(100)).toBe(latencyMs.max)
    expect(dataTransferBytes.total).toBe((100_000 * 100_001) / 2)
  })

  it('validates the percentile', () => {
    const r = recorder()
    r.recordOk(1000, 0, 200, '')
    const { latencyMs } = buildScenarioStats(r.serialize(1)).ok
    for (const bad of [-1, -0.01, 100.01, Number.NaN]) {
      expect(() => latencyMs.percentile(bad)).toThrow(RangeError)
    }
    expect(() => latencyMs.percentile(-1)).toThrow('p must be in [0, 100] (0 is min, 100 is max), got -1')
  })

  it('reads zeros, not garbage, from an empty recorder', () => {
    const stats = buildScenarioStats(recorder().serialize(0))
    expect(stats.ok.request).toEqual({ count: 0, rps: 0, percent: 0 })
    expect(plain(stats.ok.latencyMs)).toEqual({ count: 0, min: 0, mean: 0, max: 0, stdDev: 0, p50: 0, p75: 0, p95: 0, p99: 0 })
    expect(stats.fail.latencyMs.percentile(99)).toBe(0)
    expect(stats.fail.dataTransferBytes.max).toBe(0)
  })

  it('decodes histograms lazily and names the broken one', () => {
    const r = recorder()
    r.recordOk(1000, 0, 200, '')
    const good = r.serialize(1)
    const broken = { ...good, ok: { ...good.ok, latencyUs: { ...good.ok.latencyUs, histogram: 'HISTbroken' } } }
    const stats = buildScenarioStats(broken) // no decoding yet
    expect(stats.ok.request.count).toBe(1)
    expect(stats.ok.latencyMs.count).toBe(1)
    expect(() => stats.ok.latencyMs.p99).toThrow("Cannot decode latency of ok requests of scenario 'checkout'")
  })
})

describe('histogram encoding', () => {
  it('EMPTY_HISTOGRAM is what an empty histogram encodes to', () => {
    const empty = createHistogram()
    expect(encodeHistogram(empty)).toBe(EMPTY_HISTOGRAM)
    expect(decodeHistogram(EMPTY_HISTOGRAM).totalCount).toBe(0)
  })
})
