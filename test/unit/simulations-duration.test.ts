import { describe, expect, test } from 'vitest'
import { formatDuration, parseDuration } from '../../src/simulations/duration.js'
import { LoadSimulationError } from '../../src/simulations/errors.js'

describe('parseDuration', () => {
  test.each([
    [1.5, 1500],
    [30, 30_000],
    [0, 0],
    [1.1, 1100],
    ['250ms', 250],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['.5s', 500],
    ['1m30s', 90_000],
    ['1h30m15s250ms', 5_415_250],
    ['1m 30s', 90_000],
    ['5', 5000],
    ['0.25', 250],
    [' 2m ', 120_000],
    ['1.1s', 1100],
  ])('reads %j as %d ms', (input, expectedMs) => {
    expect(parseDuration(input, 'during')).toBe(expectedMs)
  })

  test.each([['abc'], [''], ['-5s'], ['5x'], ['5 s'], ['1e3'], ['ms'], ['30s1m'], ['1s1s'], ['Infinity'], [-1], [Number.NaN], [Number.POSITIVE_INFINITY]])(
    'rejects %j',
    (input) => {
      expect(() => parseDuration(input, 'during')).toThrow(LoadSimulationError)
    },
  )

  test('rejects values that are not a number or a string', () => {
    expect(() => parseDuration(null as unknown as string, 'during')).toThrow(/got null/)
    expect(() => parseDuration({ seconds: 5 } as unknown as string, 'during')).toThrow(/got \{"seconds":5\}/)
  })

  test('names the owner, the parameter and the value, and says what a duration looks like', () => {
    expect(() => parseDuration('abc', 'during', 'Simulation.inject')).toThrow(
      `Simulation.inject: "during" must be a duration (seconds as a number, or a string like '250ms', '30s', '2m'), got "abc"`,
    )
  })

  test('without an owner, uses the parameter name as the subject of the message', () => {
    expect(() => parseDuration('soon', 'Scenario "checkout" withWarmUpDuration')).toThrow(
      `Scenario "checkout" withWarmUpDuration must be a duration (seconds as a number, or a string like '250ms', '30s', '2m'), got "soon"`,
    )
  })

  test('the error carries the parameter and the value', () => {
    const error = captureError(() => parseDuration(-2, 'interval'))
    expect(error).toBeInstanceOf(LoadSimulationError)
    expect(error.param).toBe('interval')
    expect(error.value).toBe(-2)
    expect(error.problems).toHaveLength(1)
  })
})

describe('formatDuration', () => {
  test.each([
    [250, '250ms'],
    [0, '0ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
    [5_415_250, '1h30m15.25s'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })

  test.each([[1], [999.5], [1000.5], [59_999], [61_000.25], [7_322_001]])('parseDuration reads formatDuration(%d) back', (ms) => {
    expect(parseDuration(formatDuration(ms), 'x')).toBe(ms)
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
