import { formatValue, type LoadSimulationProblem } from './errors.js'
import { checkInject, describeInject } from './inject.js'
import { checkInjectRandom, describeInjectRandom } from './inject-random.js'
import { checkIterationsForConstant, describeIterationsForConstant } from './iterations-for-constant.js'
import { checkIterationsForInject, describeIterationsForInject } from './iterations-for-inject.js'
import { checkKeepConstant, describeKeepConstant } from './keep-constant.js'
import { checkPause, describePause } from './pause.js'
import { ProblemList } from './problems.js'
import { checkRampingConstant, describeRampingConstant } from './ramping-constant.js'
import { checkRampingInject, describeRampingInject } from './ramping-inject.js'
import type { LoadSimulation, LoadSimulationKind } from './types.js'

/** Which scheduler a kind needs; `pause` fits either. */
export type SimulationModel = 'open' | 'closed' | 'either'

export const MODEL_OF_KIND: Readonly<Record<LoadSimulationKind, SimulationModel>> = {
  inject: 'open',
  rampingInject: 'open',
  injectRandom: 'open',
  iterationsForInject: 'open',
  keepConstant: 'closed',
  rampingConstant: 'closed',
  iterationsForConstant: 'closed',
  pause: 'either',
}

/** Kinds that end by an iteration count rather than a time, and so cannot be followed or preceded. */
export const STANDALONE_KINDS: ReadonlySet<LoadSimulationKind> = new Set(['iterationsForConstant', 'iterationsForInject'])

export function isSimulationKind(value: unknown): value is LoadSimulationKind {
  return typeof value === 'string' && Object.hasOwn(MODEL_OF_KIND, value)
}

/** Human-readable, e.g. "inject 100 per 1s for 30s". */
export function describeSimulation(sim: LoadSimulation): string {
  switch (sim.kind) {
    case 'inject':
      return describeInject(sim)
    case 'rampingInject':
      return describeRampingInject(sim)
    case 'injectRandom':
      return describeInjectRandom(sim)
    case 'keepConstant':
      return describeKeepConstant(sim)
    case 'rampingConstant':
      return describeRampingConstant(sim)
    case 'iterationsForConstant':
      return describeIterationsForConstant(sim)
    case 'iterationsForInject':
      return describeIterationsForInject(sim)
    case 'pause':
      return describePause(sim)
  }
}

/**
 * Everything wrong with a value that should be a LoadSimulation, judged by
 * the rules the creators apply (a simulation may come over the wire, or be
 * written by hand as an object literal).
 */
export function simulationProblems(value: unknown): LoadSimulationProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const message = `Load simulation must be an object made by Simulation.* (e.g. Simulation.inject(10, 1, 30)), got ${formatValue(value)}`
    return [{ param: 'simulation', value, message }]
  }
  const kind: unknown = (value as { kind?: unknown }).kind
  if (!isSimulationKind(kind)) {
    const expected = Object.keys(MODEL_OF_KIND).join(', ')
    return [{ param: 'kind', value: kind, message: `Load simulation: "kind" must be one of ${expected}, got ${formatValue(kind)}` }]
  }
  // The kind is known; the fields are still unchecked, which is what the checks below are for.
  const sim = value as LoadSimulation
  const problems = new ProblemList(`Simulation.${kind}`)
  switch (sim.kind) {
    case 'inject':
      checkInject(sim, problems)
      break
    case 'rampingInject':
      checkRampingInject(sim, problems)
      break
    case 'injectRandom':
      checkInjectRandom(sim, problems)
      break
    case 'keepConstant':
      checkKeepConstant(sim, problems)
      break
    case 'rampingConstant':
      checkRampingConstant(sim, problems)
      break
    case 'iterationsForConstant':
      checkIterationsForConstant(sim, problems)
      break
    case 'iterationsForInject':
      checkIterationsForInject(sim, problems)
      break
    case 'pause':
      checkPause(sim, problems)
      break
  }
  return [...problems.problems]
}
