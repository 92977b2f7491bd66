import { compileClosedPlan } from './closed-plan.js'
import { LoadSimulationError, formatValue, type LoadSimulationProblem } from './errors.js'
import {
  endsByIterationCount,
  isSimulationKind,
  kindsOfModel,
  modelOf,
  simulationProblems,
  type ClosedSimulation,
  type OpenSimulation,
} from './kinds.js'
import { compileOpenPlan } from './open-plan.js'
import type { LoadPlan, LoadSimulation, LoadSimulationKind } from './types.js'

/**
 * Turns a scenario's load simulations into the schedule its scheduler runs.
 * Pure: no clock; `random` is only drawn from for injectRandom, once per
 * interval, here. Simulations run one after the other; ramps start from
 * where the stage before them ended (0 at the start and after a pause).
 */
export function compilePlan(simulations: readonly LoadSimulation[], random: () => number = Math.random): LoadPlan {
  const [first, ...rest] = planProblems(simulations)
  if (first !== undefined) throw new LoadSimulationError([first, ...rest])
  const isClosed = simulations.some((sim) => modelOf(sim.kind) === 'closed')
  // The checks above guarantee every simulation fits the one model chosen here.
  return isClosed
    ? compileClosedPlan(simulations as readonly ClosedSimulation[])
    : compileOpenPlan(simulations as readonly OpenSimulation[], random)
}

/**
 * Everything wrong with a scenario's list of simulations: each one's own
 * problems, then the rules about combining them.
 */
export function planProblems(simulations: unknown): LoadSimulationProblem[] {
  if (!Array.isArray(simulations)) {
    return [listProblem(simulations, `must be a list of load simulations, got ${formatValue(simulations)}`)]
  }
  if (simulations.length === 0) {
    return [listProblem(simulations, 'must hold at least one load simulation (e.g. Simulation.inject(10, 1, 30)), got an empty list')]
  }
  const problems = simulations.flatMap((sim: unknown) => simulationProblems(sim))
  const kinds = simulations.map(knownKindOf)
  problems.push(...standaloneProblems(simulations, kinds), ...mixedModelProblems(simulations, kinds))
  return problems
}

function standaloneProblems(simulations: readonly unknown[], kinds: readonly (LoadSimulationKind | undefined)[]): LoadSimulationProblem[] {
  if (simulations.length < 2) return []
  const index = kinds.findIndex((kind) => kind !== undefined && endsByIterationCount(kind))
  if (index < 0) return []
  const listed = kinds.map((kind) => kind ?? '?').join(', ')
  return [
    listProblem(
      simulations,
      `cannot combine "${kinds[index]}" (#${index + 1}) with other simulations: it ends by its iteration count, ` +
        `so it must be the scenario's only load simulation; got ${simulations.length} (${listed})`,
    ),
  ]
}

function mixedModelProblems(simulations: readonly unknown[], kinds: readonly (LoadSimulationKind | undefined)[]): LoadSimulationProblem[] {
  const openIndex = kinds.findIndex((kind) => kind !== undefined && modelOf(kind) === 'open')
  const closedIndex = kinds.findIndex((kind) => kind !== undefined && modelOf(kind) === 'closed')
  if (openIndex < 0 || closedIndex < 0) return []
  const either = kindsOfModel('either')
  return [
    listProblem(
      simulations,
      `cannot mix open-model "${kinds[openIndex]}" (#${openIndex + 1}) with closed-model "${kinds[closedIndex]}" (#${closedIndex + 1}) ` +
        `in one scenario: use only open kinds (${kindsOfModel('open').join(', ')}) ` +
        `or only closed kinds (${kindsOfModel('closed').join(', ')}); ${either.join(' and ')} ${either.length === 1 ? 'fits' : 'fit'} either`,
    ),
  ]
}

function knownKindOf(value: unknown): LoadSimulationKind | undefined {
  const kind: unknown = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined
  return isSimulationKind(kind) ? kind : undefined
}

function listProblem(value: unknown, text: string): LoadSimulationProblem {
  return { param: 'simulations', value, message: `Load simulations ${text}` }
}
