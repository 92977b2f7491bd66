import { describe, expect, test } from 'vitest'
import { Response, Scenario, Simulation } from '../src/index.js'
import { ITERATION_COUNT_TIMEOUT_MS, MIN_MARGIN_MS, STOP_ALLOWANCE_MS, checkExplicitTimeout, loadTestTimeout } from './timeout.js'

const handler = () => Response.ok()
const scenario = (name: string) => Scenario.create(name, handler)
const DEFAULT_GRACEFUL_STOP_MS = 5000

describe('loadTestTimeout', () => {
  test('is warm-up + load + graceful stop + a margin of at least 10 s', () => {
    const timeout = loadTestTimeout([scenario('a').withLoadSimulations(Simulation.inject(50, 1, '2s'))])
    expect(timeout.timeoutMs).toBe(2000 + DEFAULT_GRACEFUL_STOP_MS + MIN_MARGIN_MS)
    expect(timeout.reason).toBe('derived from the load simulations: warm-up 0ms + load 2s + graceful stop 5s + margin 10s')
    expect(timeout.unboundedScenarios).toEqual([])
  })

  test('counts the warm-up and every stage in sequence', () => {
    const warm = scenario('warm')
      .withWarmUpDuration('3s')
      .withLoadSimulations(Simulation.rampingConstant(4, '2s'), Simulation.keepConstant(4, '5s'), Simulation.pause('1s'))
      .withGracefulStop('1s')
    expect(loadTestTimeout([warm]).timeoutMs).toBe(3000 + 8000 + 1000 + MIN_MARGIN_MS)
  })

  test('scenarios run side by side: the longest sets the length, the longest graceful stop is added', () => {
    const long = scenario('long').withLoadSimulations(Simulation.keepConstant(1, '20s')).withGracefulStop('1s')
    const lingering = scenario('lingering').withLoadSimulations(Simulation.inject(1, 1, '1s')).withGracefulStop('8s')
    const timeout = loadTestTimeout([long, lingering])
    expect(timeout.timeoutMs).toBe(20_000 + 8000 + MIN_MARGIN_MS)
    expect(timeout.runnerTimeoutMs).toBe(timeout.timeoutMs + 8000 + STOP_ALLOWANCE_MS)
  })

  test('a long run gets a margin of a fifth of its length', () => {
    const timeout = loadTestTimeout([scenario('soak').withLoadSimulations(Simulation.inject(10, 1, '2m'))])
    const runMs = 120_000 + DEFAULT_GRACEFUL_STOP_MS
    expect(timeout.timeoutMs).toBe(runMs + runMs / 5)
  })

  test('iterationsForInject follows its schedule; iterationsForConstant gets the generous default and is named', () => {
    expect(loadTestTimeout([scenario('paced').withLoadSimulations(Simulation.iterationsForInject(10, 1, 50))]).timeoutMs).toBe(
      5000 + DEFAULT_GRACEFUL_STOP_MS + MIN_MARGIN_MS,
    )
    const counted = loadTestTimeout([scenario('bounded').withLoadSimulations(Simulation.inject(1, 1, 1)), scenario('counted').withLoadSimulations(Simulation.iterationsForConstant(4, 1000))])
    expect(counted.timeoutMs).toBe(ITERATION_COUNT_TIMEOUT_MS)
    expect(counted.unboundedScenarios).toEqual(['scenario "counted": run 1000 iterations with 4 copies'])
    expect(counted.reason).toContain('the default for iteration-count load simulations (scenario "counted": run 1000 iterations with 4 copies)')
  })

  test('a scenario with no load adds nothing; so does one the Runner will reject', () => {
    expect(loadTestTimeout([Scenario.empty('seed')]).timeoutMs).toBe(DEFAULT_GRACEFUL_STOP_MS + MIN_MARGIN_MS)
    const mixed = scenario('mixed').withLoadSimulations(Simulation.inject(1, 1, 1), Simulation.keepConstant(1, 1))
    expect(() => loadTestTimeout([mixed])).not.toThrow()
  })

  test('an explicit timeout wins, and the test runner still allows the run to stop after it', () => {
    const timeout = loadTestTimeout([scenario('counted').withLoadSimulations(Simulation.iterationsForConstant(1, 10))], 1500)
    expect(timeout).toMatchObject({ timeoutMs: 1500, reason: 'options.timeout', runnerTimeoutMs: 1500 + DEFAULT_GRACEFUL_STOP_MS + STOP_ALLOWANCE_MS })
    expect(timeout.unboundedScenarios).toHaveLength(1)
  })
})

describe('checkExplicitTimeout', () => {
  test('accepts a positive number of ms, or nothing', () => {
    expect(checkExplicitTimeout('t', 250)).toBe(250)
    expect(checkExplicitTimeout('t', undefined)).toBeUndefined()
  })

  test.each([0, -1, Number.NaN, '30s', 2 ** 31])('refuses %s, naming the test', (value) => {
    expect(() => checkExplicitTimeout('checkout budget', value)).toThrow(/^loadScenario\("checkout budget"\): options\.timeout must be a positive number of milliseconds/)
  })
})
