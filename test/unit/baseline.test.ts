/**
 * Load baselines without a test runner: the comparison and its noise floor,
 * the matcher's write / compare / update / CI decisions on a fake matcher
 * state, stable JSON, and obsolete entries. As a user meets it:
 * test/e2e/vitest-baseline.test.ts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { settleObsoleteLoadBaselines } from '../../matchers/baseline.js'
import { obsoleteLoadBaselines, toMatchLoadBaseline } from '../../matchers/index.js'
import { compareToBaseline, DEFAULT_TOLERANCES, type ScenarioBaseline } from '../../src/reports/baseline/compare.js'
import { EMPTY_HISTOGRAM } from '../../src/stats/histogram.js'
import { failRequests, okRequests, runResultOf } from '../support/stats-builder.js'

const folder = mkdtempSync(join(tmpdir(), 'loadspec-baseline-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

const base: ScenarioBaseline = { okCount: 1000, failCount: 10, failRate: 0.01, rps: 100, p50Ms: 10, p95Ms: 20, p99Ms: 2.1, okLatencyHistogram: EMPTY_HISTOGRAM }

describe('compareToBaseline', () => {
  test('names each figure that regressed beyond its tolerance, with baseline and now', () => {
    const now = { ...base, p50Ms: 11.5, p95Ms: 21.9, p99Ms: 2.4, failRate: 0.025, rps: 85 }
    expect(compareToBaseline(base, now).map((regression) => regression.text)).toEqual([
      'ok p50 11.50 ms, baseline 10.00 ms (+15.0 %, tolerance +10 % and at least +1 ms)',
      'fail rate 2.5 %, baseline 1 % (+1.5 points, tolerance +1.0 points)',
      'rps 85.0, baseline 100.0 (−15.0 %, tolerance −10 %)',
    ])
  })

  test('ignores growth below the minimum absolute delta (noise) and changes within tolerance', () => {
    // p95 +9.5 % and p99 +14 % (but +0.3 ms): neither counts.
    expect(compareToBaseline(base, { ...base, p95Ms: 21.9, p99Ms: 2.4, failRate: 0.019, rps: 91 })).toEqual([])
    expect(compareToBaseline(base, { ...base, p99Ms: 2.4 }, { ...DEFAULT_TOLERANCES, latencyMinMs: 0.1 })[0]?.figure).toBe('ok p99')
  })
})

/** A matcher call as Vitest makes it: the test's file, its name and the snapshot update mode. */
function check(received: unknown, testName: string, mode: 'new' | 'all' | 'none', tolerances?: Record<string, number>) {
  const context = { isNot: false, equals: () => false, testPath: join(folder, 'shop.load.test.ts'), currentTestName: testName, snapshotState: { _updateSnapshot: mode } }
  const result = toMatchLoadBaseline.call(context, received, tolerances)
  return { pass: result.pass, message: result.message() }
}

describe('toMatchLoadBaseline', () => {
  const file = join(folder, '__load_baselines__/shop.load.test.ts.json')

  test('writes a missing baseline, then compares; -u rewrites; CI fails without one', async () => {
    const fast = await runResultOf({ name: 'checkout', ok: okRequests(100), durationMs: 1000 })
    const slow = await runResultOf({ name: 'checkout', ok: okRequests(100).map((request) => ({ ...request, latencyMs: request.latencyMs * 2 })), durationMs: 1000 })
    expect(check(fast, 'checkout is fast', 'new').pass).toBe(true)
    const written = readFileSync(file, 'utf8')
    expect(JSON.parse(written)).toMatchObject({ version: 1, tests: { 'checkout is fast': { checkout: { okCount: 100, p50Ms: 50.015, p99Ms: 99.007, rps: 100 } } } })
    expect(check(fast, 'checkout is fast', 'new').pass).toBe(true)
    const regressed = check(slow, 'checkout is fast', 'new')
    expect(regressed.pass).toBe(false)
    expect(regressed.message).toMatch(/ok p99 198\.\d\d ms, baseline 99\.01 ms \(\+100\.\d %, tolerance \+10 % and at least \+1 ms\)/)
    expect(check(slow, 'checkout is fast', 'new', { latency: 1.5 }).pass).toBe(true)
    expect(readFileSync(file, 'utf8')).toBe(written)
    expect(check(slow, 'checkout is fast', 'all').pass).toBe(true)
    expect(JSON.parse(readFileSync(file, 'utf8')).tests['checkout is fast'].checkout.p99Ms).toBeCloseTo(198, 0)
    const ci = check(fast, 'a new test', 'none')
    expect(ci.pass).toBe(false)
    expect(ci.message).toContain('no load baseline for "a new test" (scenario "checkout")')
  })

  test('writes stable JSON: keys sorted, two spaces, a final newline', async () => {
    const result = await runResultOf({ name: 'b-scenario', ok: okRequests(3), fail: failRequests(1) }, { name: 'a-scenario', ok: okRequests(3) })
    check(result, 'two scenarios', 'new')
    const text = readFileSync(file, 'utf8')
    const parsed = JSON.parse(text) as { tests: Record<string, Record<string, object>> }
    expect(Object.keys(parsed.tests['two scenarios'] ?? {})).toEqual(['a-scenario', 'b-scenario'])
    expect(Object.keys(parsed.tests['two scenarios']?.['a-scenario'] ?? {})).toEqual(['failCount', 'failRate', 'okCount', 'okLatencyHistogram', 'p50Ms', 'p95Ms', 'p99Ms', 'rps'])
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`)
  })

  test('reports the entries no test checked in this run as obsolete', () => {
    expect(obsoleteLoadBaselines(join(folder, 'shop.load.test.ts'))).toBeUndefined()
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { tests: Record<string, unknown> }
    stored.tests['a removed test'] = stored.tests['checkout is fast']
    writeFileSync(file, JSON.stringify(stored))
    expect(obsoleteLoadBaselines(join(folder, 'shop.load.test.ts'))).toEqual({ file, testNames: ['a removed test'] })
  })

  test('after the file: -u removes the obsolete entries only when every test of the file ran and passed', async () => {
    const testPath = join(folder, 'cart.load.test.ts')
    const cartFile = join(folder, '__load_baselines__/cart.load.test.ts.json')
    const result = await runResultOf({ name: 'cart', ok: okRequests(3) })
    const checkCart = (testName: string, mode: 'new' | 'all') =>
      toMatchLoadBaseline.call({ isNot: false, equals: () => false, testPath, currentTestName: testName, snapshotState: { _updateSnapshot: mode } }, result)
    const after = (mode: 'new' | 'all' | 'none', everyTestPassed: boolean) => settleObsoleteLoadBaselines({ testPath, snapshotState: { _updateSnapshot: mode } }, everyTestPassed)
    const storedNames = () => Object.keys((JSON.parse(readFileSync(cartFile, 'utf8')) as { tests: Record<string, unknown> }).tests)

    checkCart('kept', 'new')
    checkCart('gone', 'new')
    expect(after('new', true)).toBeUndefined()
    // Each settled run starts afresh: now only 'kept' is checked.
    checkCart('kept', 'new')
    expect(after('new', true)).toEqual({ file: cartFile, testNames: ['gone'], updating: false, removed: false, fileDeleted: false })
    checkCart('kept', 'new')
    expect(after('none', true)).toMatchObject({ testNames: ['gone'], removed: false })
    // -u, but a test was skipped, filtered out or failed: reported, kept.
    checkCart('kept', 'all')
    expect(after('all', false)).toMatchObject({ testNames: ['gone'], updating: true, removed: false })
    expect(storedNames()).toEqual(['gone', 'kept'])
    checkCart('kept', 'all')
    expect(after('all', true)).toEqual({ file: cartFile, testNames: ['gone'], updating: true, removed: true, fileDeleted: false })
    expect(storedNames()).toEqual(['kept'])
    expect(readFileSync(cartFile, 'utf8')).toBe(`${JSON.stringify(JSON.parse(readFileSync(cartFile, 'utf8')), null, 2)}\n`)
    // The last entry removed: the file goes, as a snapshot file does.
    expect(after('all', true)).toMatchObject({ testNames: ['kept'], removed: true, fileDeleted: true })
    expect(existsSync(cartFile)).toBe(false)
  })

  test('refuses what it cannot key or compare', async () => {
    expect(() => check({ p99: 3 }, 'x', 'new')).toThrow("toMatchLoadBaseline needs a RunResult or a scenario's stats")
    const result = await runResultOf({ name: 'checkout', ok: okRequests(3) })
    expect(() => check(result, 'x', 'new', { latency: -1 })).toThrow('tolerance latency must be a number of 0 or more, got -1')
    expect(() => check(result, 'x', 'new', { p99: 1 })).toThrow('unknown tolerance p99')
  })
})
