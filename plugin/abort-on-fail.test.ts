/**
 * abortOnFail's rules without a run: which options are accepted, when the
 * check is first called, that the first throw aborts, and that the live
 * result it is given has a time series (live.window). End to end in
 * test/e2e/vitest-budgets.test.ts.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import { initHistograms } from '../src/stats/index.js'
import type { RunResult } from '../src/result/result.js'
import { serializedStats, okRequests, failRequests } from '../test/support/stats-builder.js'
import { AbortWatch, checkAbortRule } from './abort-on-fail.js'

beforeAll(() => initHistograms())

describe('checkAbortRule', () => {
  test('takes a check and a delay in seconds or as a string', () => {
    const check = () => {}
    expect(checkAbortRule('loadScenario("x")', { abortOnFail: check, abortDelay: '2s' })).toEqual({ check, delayMs: 2000 })
    expect(checkAbortRule('loadScenario("x")', { abortOnFail: check, abortDelay: 1.5 })).toEqual({ check, delayMs: 1500 })
    expect(checkAbortRule('loadScenario("x")', { abortOnFail: check })).toEqual({ check, delayMs: 0 })
    expect(checkAbortRule('loadScenario("x")', {})).toBeUndefined()
  })

  test('says what is wrong with the options', () => {
    expect(() => checkAbortRule('loadScenario("x")', { abortDelay: '2s' })).toThrow('loadScenario("x"): options.abortDelay needs options.abortOnFail, the check it delays')
    expect(() => checkAbortRule('loadScenario("x")', { abortOnFail: 'fail' })).toThrow('options.abortOnFail must be a function (live) => void, got string')
    expect(() => checkAbortRule('loadScenario("x")', { abortOnFail: () => {}, abortDelay: 'soon' })).toThrow(
      `options.abortDelay must be a duration (seconds as a number, or a string like '250ms', '30s', '2m'), got "soon"`,
    )
  })
})

describe('AbortWatch', () => {
  test('checks only once abortDelay has passed, aborts on the first throw and keeps its time', async () => {
    const seen: RunResult[] = []
    const watch = new AbortWatch({
      delayMs: 2000,
      check: (live) => {
        seen.push(live)
        if (live.getScenarioStats('checkout').fail.request.count > 0) throw new Error('too many failures')
      },
    })
    const first = await serializedStats({ ok: okRequests(10), durationMs: 1000 })
    const second = await serializedStats({ ok: okRequests(20), durationMs: 2000 })
    const third = await serializedStats({ ok: okRequests(30), fail: failRequests(5), durationMs: 3000 })
    watch.onProgress({ elapsedMs: 1000, scenarios: [first] })
    watch.onProgress({ elapsedMs: 2000, scenarios: [second] })
    await new Promise((resolve) => setImmediate(resolve))
    expect(watch.abort).toBeUndefined()
    expect(watch.signal.aborted).toBe(false)
    watch.onProgress({ elapsedMs: 3000, scenarios: [third] })
    await new Promise((resolve) => setImmediate(resolve))
    expect(watch.signal.aborted).toBe(true)
    expect(watch.abort).toMatchObject({ elapsedMs: 3000, error: new Error('too many failures') })
    expect(seen).toHaveLength(2)
    // The live result has a series cut from the snapshots: the last second alone holds 10 ok and 5 failed requests.
    const lastSecond = seen[1]?.window(2, 3).getScenarioStats('checkout')
    expect([lastSecond?.ok.request.count, lastSecond?.fail.request.count]).toEqual([10, 5])
  })
})
