import { DURATION_EXPECTATION, tryParseDurationMs } from './duration.js'
import { LoadSimulationError, formatValue, type LoadSimulationProblem } from './errors.js'

/** Whether a duration or number may be 0, or must be more. */
export type Minimum = 'moreThanZero' | 'zeroOrMore'

/**
 * Collects every problem of one simulation before anything throws. Each
 * check words its expectation once, so a simulation created by a user and
 * one received over the wire are judged by the same rules and words.
 */
export class ProblemList {
  readonly #owner: string
  readonly #problems: LoadSimulationProblem[] = []

  /** `owner` opens every message: 'Simulation.inject'. */
  constructor(owner: string) {
    this.#owner = owner
  }

  get problems(): readonly LoadSimulationProblem[] {
    return this.#problems
  }

  add(param: string, value: unknown, expectation: string): void {
    const message = `${this.#owner}: "${param}" must be ${expectation}, got ${formatValue(value)}`
    this.#problems.push({ param, value, message })
  }

  /** A rate of iterations per interval: any finite number, fractions allowed. */
  rate(param: string, value: unknown, minimum: Minimum): value is number {
    const ok = isFiniteNumber(value) && (minimum === 'moreThanZero' ? value > 0 : value >= 0)
    if (!ok) this.add(param, value, minimum === 'moreThanZero' ? 'a number greater than 0' : 'a number of 0 or more')
    return ok
  }

  /** A count of copies or iterations. */
  count(param: string, value: unknown, minimum: Minimum): value is number {
    const ok = Number.isSafeInteger(value) && (minimum === 'moreThanZero' ? (value as number) > 0 : (value as number) >= 0)
    if (!ok) this.add(param, value, minimum === 'moreThanZero' ? 'a positive integer' : 'an integer of 0 or more')
    return ok
  }

  /** A duration as the user wrote it; returns it in ms, or NaN when it is not acceptable. */
  duration(param: string, input: unknown, minimum: Minimum): number {
    const ms = tryParseDurationMs(input)
    if (ms === undefined) {
      const isNegativeNumber = isFiniteNumber(input) && input < 0
      this.add(param, input, isNegativeNumber ? durationAtLeast(minimum) : DURATION_EXPECTATION)
      return Number.NaN
    }
    if (minimum === 'moreThanZero' && ms === 0) {
      this.add(param, input, durationAtLeast(minimum))
      return Number.NaN
    }
    return ms
  }

  /** A duration already in ms, as simulations carry it over the wire. */
  durationMs(param: string, value: unknown, minimum: Minimum): value is number {
    const ok = isFiniteNumber(value) && (minimum === 'moreThanZero' ? value > 0 : value >= 0)
    if (!ok) {
      this.add(param, value, minimum === 'moreThanZero' ? 'a number of milliseconds greater than 0' : 'a number of milliseconds, 0 or more')
    }
    return ok
  }

  throwIfAny(): void {
    const [first, ...rest] = this.#problems
    if (first !== undefined) throw new LoadSimulationError([first, ...rest])
  }
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

function durationAtLeast(minimum: Minimum): string {
  return minimum === 'moreThanZero' ? 'a duration longer than 0' : 'a duration of 0 or more'
}
