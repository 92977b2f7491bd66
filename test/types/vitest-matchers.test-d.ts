/**
 * Types of the matchers under Vitest 4 (matchers/vitest4.ts is part of this
 * project's program). The same checks run against the published
 * declarations, for Vitest 4 and 5, in test/e2e/vitest-types.test.ts.
 */
import { describe, expect, expectTypeOf, test } from 'vitest'
import type { RunResult, ScenarioStats, StepStats } from '../../src/index.js'

declare const result: RunResult
declare const scenario: ScenarioStats
declare const step: StepStats

describe('matchers on expect(…)', () => {
  test('take their documented arguments and return nothing', () => {
    expectTypeOf(expect(result).toHavePercentileBelow(99, 250)).toEqualTypeOf<void>()
    expectTypeOf(expect(scenario).toHaveStatusCodeCount(500, 0)).toEqualTypeOf<void>()
    expectTypeOf(expect(step).toHaveStatusCodeCount('timeout', 0)).toEqualTypeOf<void>()
    expectTypeOf(expect(result).toHaveFailRateBelow(0.01)).toEqualTypeOf<void>()
    expectTypeOf(expect(result).toHaveFailCount(0)).toEqualTypeOf<void>()
    expectTypeOf(expect(result).toHaveOkCount(100)).toEqualTypeOf<void>()
    expectTypeOf(expect(result).toHaveRpsAtLeast(95)).toEqualTypeOf<void>()
    expectTypeOf(expect(result).toHaveMeanLatencyBelow(50)).toEqualTypeOf<void>()
    expectTypeOf(expect(result).toHaveMaxLatencyBelow(500)).toEqualTypeOf<void>()
    expectTypeOf(expect(result).toHaveNoDroppedIterations()).toEqualTypeOf<void>()
    expectTypeOf(expect(result).not.toHavePercentileBelow(50, 1)).toEqualTypeOf<void>()
    expectTypeOf(expect(result).toHaveHealthyLoadGenerator()).toEqualTypeOf<void>()
    expectTypeOf(expect(result.window('10s', 20)).toHaveHealthyLoadGenerator({ startLagP99Ms: 5 })).toEqualTypeOf<void>()
    expectTypeOf(result.window(0)).toEqualTypeOf<RunResult>()
    expectTypeOf(expect(result).toMatchLoadBaseline()).toEqualTypeOf<void>()
    expectTypeOf(expect(scenario).toMatchLoadBaseline({ latency: 0.2, rps: 0.05 })).toEqualTypeOf<void>()
  })

  test('counts accept asymmetric matchers', () => {
    expect(result).toHaveStatusCodeCount(500, expect.any(Number))
    expect(result).toHaveOkCount(expect.toSatisfy((count: number) => count > 10))
  })

  test('after .resolves they return a promise', () => {
    expectTypeOf(expect(Promise.resolve(result)).resolves.toHaveOkCount(3)).toEqualTypeOf<Promise<void>>()
  })

  test('wrong arguments do not compile', () => {
    // @ts-expect-error the percentile is a number (99), not a label
    expect(result).toHavePercentileBelow('p99', 250)
    // @ts-expect-error the bound is required
    expect(result).toHavePercentileBelow(99)
    // @ts-expect-error a count is a number or an asymmetric matcher
    expect(result).toHaveOkCount('3')
    // @ts-expect-error the status code comes first
    expect(result).toHaveStatusCodeCount(0)
    // @ts-expect-error takes no argument
    expect(result).toHaveNoDroppedIterations(0)
    // @ts-expect-error no such matcher
    expect(result).toHavePercentileAbove(99, 250)
    // @ts-expect-error no such tolerance
    expect(result).toMatchLoadBaseline({ p99: 0.1 })
    // @ts-expect-error no such limit
    expect(result).toHaveHealthyLoadGenerator({ memoryMb: 100 })
  })
})

describe('asymmetric matchers on expect.…', () => {
  test('exist for every matcher, also under expect.not', () => {
    expect(result).toEqual(expect.toHavePercentileBelow(99, 250))
    expect({ checkout: scenario }).toEqual({ checkout: expect.toHaveFailRateBelow(0.01) })
    expect(result).toEqual(expect.not.toHaveFailCount(0))
    expect([step]).toEqual([expect.toHaveNoDroppedIterations()])
  })

  test('check their arguments too', () => {
    // @ts-expect-error the rate is a number
    expect(result).toEqual(expect.toHaveFailRateBelow('1%'))
    // @ts-expect-error the bound is required
    expect(result).toEqual(expect.not.toHaveMaxLatencyBelow())
  })
})
