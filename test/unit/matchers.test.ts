/**
 * Every matcher on real stats with known figures: pass, fail (and what the
 * message says), `.not`, asymmetric use, and arguments that must be refused.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import { registerMatchers } from '../../matchers/index.js'
import type { RunResult, ScenarioStats, StepStats } from '../../src/index.js'
import { failRequests, okRequests, runResultOf } from '../support/stats-builder.js'

registerMatchers(expect)

/** Ok latencies 1, 2, … 100 ms; 5 failures with status 500; 2 s measured: 50 ok rps, fail rate 5/105. */
let result: RunResult
let checkout: ScenarioStats
let login: StepStats
let twoScenarios: RunResult
let onlyFailures: RunResult
let dropping: RunResult

beforeAll(async () => {
  result = await runResultOf({
    name: 'checkout',
    ok: okRequests(100),
    fail: failRequests(5, 500, 'boom'),
    durationMs: 2000,
    steps: [{ name: 'login', ok: okRequests(10), fail: failRequests(1, 401, 'who?') }],
  })
  checkout = result.getScenarioStats('checkout')
  login = result.getStepStats('checkout', 'login')
  twoScenarios = await runResultOf({ name: 'browse', ok: okRequests(3) }, { name: 'buy', ok: okRequests(3) })
  onlyFailures = await runResultOf({ name: 'down', fail: failRequests(4, 503, 'unavailable') })
  dropping = await runResultOf({ name: 'overloaded', ok: okRequests(10), droppedIterations: 3 })
})

/** The message of the assertion error `assertion` throws. */
function failureOf(assertion: () => void): string {
  try {
    assertion()
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
  throw new Error('expected the assertion to fail, but it passed')
}

describe('toHavePercentileBelow', () => {
  test('compares the percentile of ok latency with the bound, strictly', () => {
    expect(result).toHavePercentileBelow(99, 150)
    expect(result).toHavePercentileBelow(50, 51)
    expect(checkout).toHavePercentileBelow(99.9, 101)
    expect(login).toHavePercentileBelow(100, 11)
    expect(result).not.toHavePercentileBelow(50, 50)
  })

  test('fails with the subject, the measured value, the bound and the stats table', () => {
    const message = failureOf(() => expect(result).toHavePercentileBelow(99, 50))
    expect(message).toMatch(/^expected scenario "checkout" to have p99 latency below 50 ms, but its p99 latency is 99\.\d\d ms\n\n/)
    expect(message).toContain('scenario "checkout": 105 requests in 2.0 s (52.5 rps, all requests), 0 dropped iterations')
    expect(message).toMatch(/ok\s+100\s+50\.0\s+95\.2 %/)
    expect(message).toMatch(/500\s+fail\s+5\s+4\.8 %\s+boom/)
  })

  test('reads right with .not', () => {
    const message = failureOf(() => expect(result).not.toHavePercentileBelow(99, 150))
    expect(message).toMatch(/^expected scenario "checkout" not to have p99 latency below 150 ms, but its p99 latency is 99\.\d\d ms/)
  })

  test('names the step of step stats', () => {
    expect(failureOf(() => expect(login).toHavePercentileBelow(50, 1))).toMatch(/^expected step "login" of scenario "checkout" to have p50 latency below 1 ms/)
  })

  test('refuses percentiles outside (0, 100] and bounds that are not positive', () => {
    for (const p of [0, -1, 100.5, Number.NaN, '99']) {
      expect(() => expect(result).toHavePercentileBelow(p as number, 100)).toThrow(/toHavePercentileBelow: the percentile must be a number in \(0, 100\]/)
    }
    for (const ms of [-5, 0, Number.POSITIVE_INFINITY, '250']) {
      expect(() => expect(result).toHavePercentileBelow(99, ms as number)).toThrow(/toHavePercentileBelow: the bound must be a positive number of milliseconds/)
    }
  })

  test('without ok requests there is no latency: an error both ways, never a pass', () => {
    const error = /toHavePercentileBelow: scenario "down" has no ok requests \(4 failed\), so it has no latency to compare/
    expect(() => expect(onlyFailures).toHavePercentileBelow(99, 100)).toThrow(error)
    expect(() => expect(onlyFailures).not.toHavePercentileBelow(99, 100)).toThrow(error)
  })
})

describe('toHaveMeanLatencyBelow and toHaveMaxLatencyBelow', () => {
  test('compare the mean and the max of ok latency', () => {
    expect(result).toHaveMeanLatencyBelow(51)
    expect(result).not.toHaveMeanLatencyBelow(50)
    expect(result).toHaveMaxLatencyBelow(101)
    expect(result).not.toHaveMaxLatencyBelow(99)
  })

  test('say what they measured', () => {
    expect(failureOf(() => expect(result).toHaveMeanLatencyBelow(10))).toMatch(/^expected scenario "checkout" to have a mean latency below 10 ms, but its mean latency is 50\.\d\d ms/)
    expect(failureOf(() => expect(result).toHaveMaxLatencyBelow(10))).toMatch(/^expected scenario "checkout" to have a max latency below 10 ms, but its max latency is 100\.\d\d ms/)
  })

  test('refuse bounds that are not positive, and stats without ok requests', () => {
    expect(() => expect(result).toHaveMeanLatencyBelow(-1)).toThrow(/toHaveMeanLatencyBelow: the bound must be a positive number/)
    expect(() => expect(result).not.toHaveMaxLatencyBelow(0)).toThrow(/toHaveMaxLatencyBelow: the bound must be a positive number/)
    expect(() => expect(onlyFailures).not.toHaveMeanLatencyBelow(10)).toThrow(/has no ok requests/)
  })
})

describe('toHaveStatusCodeCount', () => {
  test('counts responses with the code, ok or failed, given as a number or a string', () => {
    expect(result).toHaveStatusCodeCount(200, 100)
    expect(result).toHaveStatusCodeCount('500', 5)
    expect(result).toHaveStatusCodeCount(404, 0)
    expect(login).toHaveStatusCodeCount(401, 1)
    expect(result).not.toHaveStatusCodeCount(500, 0)
  })

  test('adds up a code that appears among ok and failed responses', async () => {
    const mixed = await runResultOf({ name: 'mixed', ok: okRequests(3, 200), fail: failRequests(2, 200, 'body did not match') })
    expect(mixed).toHaveStatusCodeCount(200, 5)
  })

  test('accepts an asymmetric matcher as the count', () => {
    expect(result).toHaveStatusCodeCount(500, expect.any(Number))
    expect(result).toHaveStatusCodeCount(200, expect.toSatisfy((count: number) => count >= 100))
    expect(result).not.toHaveStatusCodeCount(500, expect.toSatisfy((count: number) => count > 10))
  })

  test('says what it expected and what it found', () => {
    expect(failureOf(() => expect(result).toHaveStatusCodeCount(500, 0))).toMatch(/^expected scenario "checkout" to have 0 responses with status code 500, but it has 5\n/)
    expect(failureOf(() => expect(result).toHaveStatusCodeCount(404, expect.any(String)))).toMatch(/to have Any<String> responses with status code 404, but it has 0/)
  })

  test('refuses status codes and counts it cannot compare', () => {
    expect(() => expect(result).toHaveStatusCodeCount(' ', 0)).toThrow(/toHaveStatusCodeCount: the status code must be an integer or a non-empty string/)
    expect(() => expect(result).toHaveStatusCodeCount(200.5, 0)).toThrow(/the status code must be/)
    expect(() => expect(result).toHaveStatusCodeCount(500, -1)).toThrow(/toHaveStatusCodeCount: the count must be a non-negative integer or an asymmetric matcher/)
    expect(() => expect(result).not.toHaveStatusCodeCount(500, '5' as never)).toThrow(/the count must be/)
  })
})

describe('toHaveFailCount and toHaveOkCount', () => {
  test('compare the counts exactly or through an asymmetric matcher', () => {
    expect(result).toHaveFailCount(5)
    expect(result).toHaveOkCount(100)
    expect(login).toHaveOkCount(10)
    expect(result).not.toHaveFailCount(0)
    expect(result).toHaveOkCount(expect.toSatisfy((count: number) => count > 50))
  })

  test('say what they found', () => {
    expect(failureOf(() => expect(result).toHaveFailCount(0))).toMatch(/^expected scenario "checkout" to have 0 failed requests, but it has 5\n/)
    expect(failureOf(() => expect(result).not.toHaveOkCount(100))).toMatch(/^expected scenario "checkout" not to have 100 ok requests, but it has 100\n/)
  })

  test('refuse counts that are not whole numbers', () => {
    expect(() => expect(result).toHaveFailCount(1.5)).toThrow(/toHaveFailCount: the count must be a non-negative integer/)
    expect(() => expect(result).not.toHaveOkCount(Number.NaN)).toThrow(/toHaveOkCount: the count must be/)
  })
})

describe('toHaveFailRateBelow', () => {
  test('compares failed / all requests with a fraction, strictly', () => {
    expect(result).toHaveFailRateBelow(0.05)
    expect(result).not.toHaveFailRateBelow(0.04)
    expect(result).toHaveFailRateBelow(1)
    expect(twoScenarios.getScenarioStats('buy')).toHaveFailRateBelow(0.001)
  })

  test('shows the rate precisely enough to see why it failed', () => {
    expect(failureOf(() => expect(result).toHaveFailRateBelow(0.04))).toMatch(
      /^expected scenario "checkout" to have a fail rate below 0\.04 \(4 %\), but it is 0\.04762 \(4\.762 %\): 5 of 105 requests failed\n/,
    )
  })

  test('refuses a rate outside (0, 1], with a hint when it looks like a percentage', () => {
    expect(() => expect(result).toHaveFailRateBelow(5)).toThrow('toHaveFailRateBelow: the rate must be a fraction in (0, 1] (0.01 is 1 %), got 5 (a rate is a fraction: for 5 % write 0.05)')
    expect(() => expect(result).not.toHaveFailRateBelow(0)).toThrow(/the rate must be a fraction in \(0, 1\]/)
  })

  test('without requests there is no rate: an error both ways', async () => {
    const idle = await runResultOf({ name: 'idle' })
    expect(() => expect(idle).toHaveFailRateBelow(0.5)).toThrow(/toHaveFailRateBelow: scenario "idle" has no requests, so it has no fail rate/)
    expect(() => expect(idle).not.toHaveFailRateBelow(0.5)).toThrow(/has no requests/)
  })
})

describe('toHaveRpsAtLeast', () => {
  test('compares ok requests per second with the bound, inclusively', () => {
    expect(result).toHaveRpsAtLeast(50)
    expect(result).not.toHaveRpsAtLeast(50.5)
  })

  test('reads right both ways', () => {
    expect(failureOf(() => expect(result).toHaveRpsAtLeast(60))).toMatch(/^expected scenario "checkout" to have at least 60 ok requests per second, but it has 50\.0 \(100 ok requests in a 2\.0 s measured window; all requests: 52\.5 per second\)/)
    expect(failureOf(() => expect(result).not.toHaveRpsAtLeast(10))).toMatch(/^expected scenario "checkout" to have fewer than 10 ok requests per second, but it has 50\.0/)
  })

  test('refuses a rate that is not positive', () => {
    expect(() => expect(result).toHaveRpsAtLeast(0)).toThrow(/toHaveRpsAtLeast: the rate must be a positive number of requests per second, got 0/)
  })
})

describe('toHaveNoDroppedIterations', () => {
  test('passes when every iteration due started', () => {
    expect(result).toHaveNoDroppedIterations()
    expect(dropping).not.toHaveNoDroppedIterations()
  })

  test('says how many were dropped, or that none were', () => {
    expect(failureOf(() => expect(dropping).toHaveNoDroppedIterations())).toMatch(/^expected scenario "overloaded" to have no dropped iterations, but it dropped 3 /)
    expect(failureOf(() => expect(result).not.toHaveNoDroppedIterations())).toMatch(/^expected scenario "checkout" to have dropped iterations, but it dropped none\n/)
  })

  test('refuses a step: iterations are dropped per scenario', () => {
    expect(() => expect(login).toHaveNoDroppedIterations()).toThrow(/toHaveNoDroppedIterations: step "login" of scenario "checkout" is a step: .* pass the scenario's stats/)
  })
})

describe('what a matcher accepts', () => {
  test('a RunResult with several scenarios is an error that lists them, with .not too', () => {
    const listing = 'toHaveOkCount: this RunResult has 2 scenarios ("browse", "buy"); pick one: expect(result.getScenarioStats("browse")).toHaveOkCount(…)'
    expect(() => expect(twoScenarios).toHaveOkCount(3)).toThrow(listing)
    expect(() => expect(twoScenarios).not.toHaveOkCount(3)).toThrow(listing)
    expect(twoScenarios.getScenarioStats('buy')).toHaveOkCount(3)
  })

  test('a RunResult without scenario stats is an error', async () => {
    const empty = await runResultOf()
    expect(() => expect(empty).toHaveFailCount(0)).toThrow(/toHaveFailCount: this RunResult has no scenario stats/)
  })

  test('anything else is an error that says what was given', () => {
    expect(() => expect(42).toHaveOkCount(1)).toThrow(/toHaveOkCount needs a RunResult with one scenario, a scenario's stats .* or a step's stats .*; got number 42/)
    expect(() => expect({ ok: 1 }).not.toHaveOkCount(1)).toThrow(/got an object with keys ok/)
    expect(() => expect(undefined).not.toHaveNoDroppedIterations()).toThrow(/; got undefined$/)
    expect(() => expect([checkout]).toHaveFailCount(0)).toThrow(/got an array of 1/)
  })

  test('stats are recognised by shape, so a copy from another bundle works', () => {
    expect({ ...checkout }).toHaveOkCount(100)
    expect({ ...login }).toHaveFailCount(1)
  })
})

describe('as asymmetric matchers', () => {
  test('every matcher works inside toEqual', () => {
    expect(result).toEqual(expect.toHavePercentileBelow(99, 150))
    expect({ checkout }).toEqual({ checkout: expect.toHaveFailRateBelow(0.05) })
    expect([login]).toEqual([expect.toHaveOkCount(10)])
    expect(result).toEqual(expect.toHaveStatusCodeCount(500, expect.any(Number)))
    expect(result).toEqual(expect.toHaveFailCount(5))
    expect(result).toEqual(expect.toHaveRpsAtLeast(50))
    expect(result).toEqual(expect.toHaveMeanLatencyBelow(60))
    expect(result).toEqual(expect.toHaveMaxLatencyBelow(150))
    expect(result).toEqual(expect.toHaveNoDroppedIterations())
  })

  test('a mismatch fails toEqual, and expect.not inverts', () => {
    expect(result).not.toEqual(expect.toHavePercentileBelow(99, 10))
    expect(result).toEqual(expect.not.toHavePercentileBelow(99, 10))
    expect(() => expect(result).toEqual(expect.toHaveFailCount(0))).toThrow()
  })

  test('bad arguments are still errors, not mismatches', () => {
    expect(() => expect(result).not.toEqual(expect.toHaveFailRateBelow(5))).toThrow(/the rate must be a fraction/)
  })
})
