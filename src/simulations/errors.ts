/**
 * Errors about load simulations. Every problem of one call is collected into
 * one error, so a user fixes them all in one round.
 */

/** One thing wrong with a load simulation, or with a list of them. */
export interface LoadSimulationProblem {
  /** The parameter at fault, named as the caller named it: 'rate', 'during', 'intervalMs', 'simulations'. */
  readonly param: string
  /** The value that was given. */
  readonly value: unknown
  /** A full sentence: which simulation, which parameter, what is expected, what was given. */
  readonly message: string
}

export class LoadSimulationError extends Error {
  override readonly name = 'LoadSimulationError'
  /** The parameter of the first problem (most errors have exactly one). */
  readonly param: string
  /** The value of the first problem. */
  readonly value: unknown
  readonly problems: readonly LoadSimulationProblem[]

  constructor(problems: readonly [LoadSimulationProblem, ...LoadSimulationProblem[]]) {
    super(problems.map((problem) => problem.message).join('\n'))
    this.param = problems[0].param
    this.value = problems[0].value
    this.problems = problems
  }
}

/** A value as it appears in a message: strings quoted, long values cut. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'function') return 'a function'
  let text: string
  try {
    text = JSON.stringify(value) ?? String(value)
  } catch {
    text = String(value)
  }
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS - 1)}…` : text
}

const MAX_SHOWN_CHARS = 80
