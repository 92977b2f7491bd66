import { describe, expect, test } from 'vitest'
import { LoadSimulationError, Simulation, compilePlan, type LoadSimulation } from '../../src/simulations/index.js'

const DURATION = "a duration (seconds as a number, or a string like '250ms', '30s', '2m')"

/** Arguments as a careless JavaScript caller might pass them. */
const loose = <T>(value: unknown): T => value as T

describe('each bad parameter is rejected with the simulation, the parameter, the value and what is expected', () => {
  test.each<[string, () => unknown, string]>([
    ['inject rate 0', () => Simulation.inject(0, 1, 30), 'Simulation.inject: "rate" must be a number greater than 0, got 0'],
    ['inject rate NaN', () => Simulation.inject(Number.NaN, 1, 30), 'Simulation.inject: "rate" must be a number greater than 0, got NaN'],
    ['inject rate Infinity', () => Simulation.inject(Number.POSITIVE_INFINITY, 1, 30), 'Simulation.inject: "rate" must be a number greater than 0, got Infinity'],
    ['inject rate string', () => Simulation.inject(loose('100'), 1, 30), 'Simulation.inject: "rate" must be a number greater than 0, got "100"'],
    ['inject interval 0', () => Simulation.inject(100, 0, 30), 'Simulation.inject: "interval" must be a duration longer than 0, got 0'],
    ['inject interval "0s"', () => Simulation.inject(100, '0s', 30), 'Simulation.inject: "interval" must be a duration longer than 0, got "0s"'],
    ['inject during -1', () => Simulation.inject(100, 1, -1), 'Simulation.inject: "during" must be a duration longer than 0, got -1'],
    ['inject during "abc"', () => Simulation.inject(100, 1, 'abc'), `Simulation.inject: "during" must be ${DURATION}, got "abc"`],
    ['rampingInject rate -5', () => Simulation.rampingInject(-5, 1, 10), 'Simulation.rampingInject: "rate" must be a number of 0 or more, got -5'],
    ['rampingInject interval', () => Simulation.rampingInject(5, 'fast', 10), `Simulation.rampingInject: "interval" must be ${DURATION}, got "fast"`],
    ['rampingInject during 0', () => Simulation.rampingInject(5, 1, '0ms'), 'Simulation.rampingInject: "during" must be a duration longer than 0, got "0ms"'],
    ['injectRandom minRate -1', () => Simulation.injectRandom(-1, 5, 1, 10), 'Simulation.injectRandom: "minRate" must be a number of 0 or more, got -1'],
    ['injectRandom maxRate 0', () => Simulation.injectRandom(0, 0, 1, 10), 'Simulation.injectRandom: "maxRate" must be a number greater than 0, got 0'],
    ['injectRandom min > max', () => Simulation.injectRandom(20, 10, 1, 10), 'Simulation.injectRandom: "minRate" must be at most "maxRate" (10), got 20'],
    ['injectRandom interval', () => Simulation.injectRandom(1, 2, -3, 10), 'Simulation.injectRandom: "interval" must be a duration longer than 0, got -3'],
    ['injectRandom too many intervals', () => Simulation.injectRandom(1, 2, '1ms', '4h'), 'Simulation.injectRandom: "during" must be at most 10000000 intervals long (it holds one random rate per interval; it is 14400000 here: use a longer interval), got "4h"'],
    ['keepConstant copies -3', () => Simulation.keepConstant(-3, 10), 'Simulation.keepConstant: "copies" must be a positive integer, got -3'],
    ['keepConstant copies 2.5', () => Simulation.keepConstant(2.5, 10), 'Simulation.keepConstant: "copies" must be a positive integer, got 2.5'],
    ['keepConstant copies 0', () => Simulation.keepConstant(0, 10), 'Simulation.keepConstant: "copies" must be a positive integer, got 0'],
    ['keepConstant during', () => Simulation.keepConstant(3, '10 minutes'), `Simulation.keepConstant: "during" must be ${DURATION}, got "10 minutes"`],
    ['rampingConstant copies -1', () => Simulation.rampingConstant(-1, 10), 'Simulation.rampingConstant: "copies" must be an integer of 0 or more, got -1'],
    ['rampingConstant during 0', () => Simulation.rampingConstant(5, 0), 'Simulation.rampingConstant: "during" must be a duration longer than 0, got 0'],
    ['iterationsForConstant copies', () => Simulation.iterationsForConstant(0, 10), 'Simulation.iterationsForConstant: "copies" must be a positive integer, got 0'],
    ['iterationsForConstant iterations', () => Simulation.iterationsForConstant(4, 10.5), 'Simulation.iterationsForConstant: "iterations" must be a positive integer, got 10.5'],
    ['iterationsForInject rate', () => Simulation.iterationsForInject(-1, 1, 10), 'Simulation.iterationsForInject: "rate" must be a number greater than 0, got -1'],
    ['iterationsForInject interval', () => Simulation.iterationsForInject(10, '1d', 10), `Simulation.iterationsForInject: "interval" must be ${DURATION}, got "1d"`],
    ['iterationsForInject iterations', () => Simulation.iterationsForInject(10, 1, 0), 'Simulation.iterationsForInject: "iterations" must be a positive integer, got 0'],
    ['pause during -1', () => Simulation.pause(-1), 'Simulation.pause: "during" must be a duration of 0 or more, got -1'],
    ['pause during "later"', () => Simulation.pause('later'), `Simulation.pause: "during" must be ${DURATION}, got "later"`],
  ])('%s', (_name, create, message) => {
    const error = captureError(create)
    expect(error.message).toBe(message)
    expect(error.problems).toHaveLength(1)
  })

  test('the error carries the parameter and the value as given', () => {
    const error = captureError(() => Simulation.keepConstant(-3, 10))
    expect(error).toBeInstanceOf(LoadSimulationError)
    expect(error.name).toBe('LoadSimulationError')
    expect(error.param).toBe('copies')
    expect(error.value).toBe(-3)
  })

  test('all problems of one call come in one error, in argument order', () => {
    const error = captureError(() => Simulation.injectRandom(-1, loose('x'), 0, 'abc'))
    expect(error.problems.map((problem) => problem.param)).toEqual(['minRate', 'maxRate', 'interval', 'during'])
    expect(error.message).toBe(
      [
        'Simulation.injectRandom: "minRate" must be a number of 0 or more, got -1',
        'Simulation.injectRandom: "maxRate" must be a number greater than 0, got "x"',
        'Simulation.injectRandom: "interval" must be a duration longer than 0, got 0',
        `Simulation.injectRandom: "during" must be ${DURATION}, got "abc"`,
      ].join('\n'),
    )
    expect(error.param).toBe('minRate')
  })
})

describe('edge values that are allowed', () => {
  test('ramps may go down to 0, pauses may be empty, random rates may start at 0 and be fixed', () => {
    expect(Simulation.rampingInject(0, 1, 10).rate).toBe(0)
    expect(Simulation.rampingConstant(0, 10).copies).toBe(0)
    expect(Simulation.pause(0).duringMs).toBe(0)
    expect(Simulation.injectRandom(0, 5, 1, 10).minRate).toBe(0)
    expect(Simulation.injectRandom(5, 5, 1, 10).maxRate).toBe(5)
  })

  test('rates may be fractional', () => {
    expect(Simulation.inject(0.5, 1, 10).rate).toBe(0.5)
    expect(Simulation.iterationsForInject(2.5, '1s', 10).rate).toBe(2.5)
  })
})

describe('combining simulations', () => {
  test('an empty list is rejected', () => {
    expect(() => compilePlan([])).toThrow(
      'Load simulations must hold at least one load simulation (e.g. Simulation.inject(10, 1, 30)), got an empty list',
    )
  })

  test('open and closed kinds do not mix, and the message names both', () => {
    const error = captureError(() => compilePlan([Simulation.pause(1), Simulation.inject(10, 1, 5), Simulation.keepConstant(2, 5)]))
    expect(error.param).toBe('simulations')
    expect(error.message).toBe(
      'Load simulations cannot mix open-model "inject" (#2) with closed-model "keepConstant" (#3) in one scenario: ' +
        'use only open kinds (inject, rampingInject, injectRandom, iterationsForInject) ' +
        'or only closed kinds (keepConstant, rampingConstant, iterationsForConstant); pause fits either',
    )
  })

  test.each<[string, LoadSimulation[], string]>([
    [
      'iterationsForConstant after a pause',
      [Simulation.pause(1), Simulation.iterationsForConstant(4, 100)],
      'Load simulations cannot combine "iterationsForConstant" (#2) with other simulations: it ends by its iteration count, so it must be the scenario\'s only load simulation; got 2 (pause, iterationsForConstant)',
    ],
    [
      'iterationsForInject before an inject',
      [Simulation.iterationsForInject(10, 1, 100), Simulation.inject(10, 1, 5)],
      'Load simulations cannot combine "iterationsForInject" (#1) with other simulations: it ends by its iteration count, so it must be the scenario\'s only load simulation; got 2 (iterationsForInject, inject)',
    ],
  ])('%s must stand alone', (_name, simulations, message) => {
    expect(() => compilePlan(simulations)).toThrow(message)
  })

  test('a simulation written by hand is checked by the creators\' rules', () => {
    const handMade = [{ kind: 'inject', rate: 100, intervalMs: -1000, duringMs: 30_000 }] as LoadSimulation[]
    expect(() => compilePlan(handMade)).toThrow('Simulation.inject: "intervalMs" must be a number of milliseconds greater than 0, got -1000')
  })

  test('an unknown kind is named with the kinds there are', () => {
    const handMade = [{ kind: 'spike', rate: 1 }] as unknown as LoadSimulation[]
    expect(() => compilePlan(handMade)).toThrow(
      'Load simulation: "kind" must be one of inject, rampingInject, injectRandom, iterationsForInject, keepConstant, rampingConstant, iterationsForConstant, pause, got "spike"',
    )
  })
})

function captureError(run: () => unknown): LoadSimulationError {
  try {
    run()
  } catch (error) {
    if (error instanceof LoadSimulationError) return error
    throw error
  }
  throw new Error('expected a LoadSimulationError')
}
