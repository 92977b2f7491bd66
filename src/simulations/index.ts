import { inject } from './inject.js'
import { injectRandom } from './inject-random.js'
import { iterationsForConstant } from './iterations-for-constant.js'
import { iterationsForInject } from './iterations-for-inject.js'
import { keepConstant } from './keep-constant.js'
import { pause } from './pause.js'
import { rampingConstant } from './ramping-constant.js'
import { rampingInject } from './ramping-inject.js'

/**
 * Load simulations (NBomber/LoadStrike semantics). Rates are per `interval`;
 * durations are seconds as a number or strings like '250ms', '30s', '2m'.
 * Each creator checks its arguments and returns plain, serializable data.
 */
export const Simulation = Object.freeze({
  inject,
  rampingInject,
  injectRandom,
  keepConstant,
  rampingConstant,
  iterationsForConstant,
  iterationsForInject,
  pause,
})

export { describeSimulation } from './kinds.js'
export { loadSimulationSchema, loadSimulationListSchema } from './schema.js'
export { compilePlan } from './plan.js'
export { parseDuration, formatDuration } from './duration.js'
export { LoadSimulationError, type LoadSimulationProblem } from './errors.js'
export type * from './types.js'
