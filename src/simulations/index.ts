import { simulationCreators } from './kinds.js'

/**
 * Load simulations (NBomber/LoadStrike semantics). Rates are per `interval`;
 * durations are seconds as a number or strings like '250ms', '30s', '2m'.
 * Each creator checks its arguments and returns plain, serializable data.
 * One creator per kind of the table in kinds.ts, under the kind's name.
 */
export const Simulation = simulationCreators()

export { describeSimulation } from './kinds.js'
export { loadSimulationSchema, loadSimulationListSchema } from './schema.js'
export { compilePlan } from './plan.js'
export { parseDuration, formatDuration } from './duration.js'
export { LoadSimulationError, type LoadSimulationProblem } from './errors.js'
export type * from './types.js'
