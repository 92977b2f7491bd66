import { z } from 'zod'
import { copiesText, constantCopiesStage } from './keep-constant.js'
import { ProblemList } from './problems.js'
import type { ClosedSimulationSpec, SimulationOf } from './spec.js'
import type { ClosedStage } from './stage.js'

/**
 * Closed model: `copies` copies share `iterations` iterations (the total on
 * this node) and the scenario ends when they are done.
 */
export type IterationsForConstantSimulation = SimulationOf<'iterationsForConstant'>

export const iterationsForConstantSpec = {
  kind: 'iterationsForConstant',
  model: 'closed',
  create: iterationsForConstant,
  schema: z.object({ kind: z.literal('iterationsForConstant'), copies: z.number(), iterations: z.number() }),
  check: checkIterationsForConstant,
  describe: describeIterationsForConstant,
  endsByIterationCount: true,
  closedStage: iterationsForConstantStage,
} satisfies ClosedSimulationSpec<'iterationsForConstant'>

const OWNER = 'Simulation.iterationsForConstant'

export function iterationsForConstant(copies: number, iterations: number): IterationsForConstantSimulation {
  const problems = new ProblemList(OWNER)
  checkIterationsForConstant({ kind: 'iterationsForConstant', copies, iterations }, problems)
  problems.throwIfAny()
  return { kind: 'iterationsForConstant', copies, iterations }
}

export function checkIterationsForConstant(sim: IterationsForConstantSimulation, problems: ProblemList): void {
  problems.count('copies', sim.copies, 'moreThanZero')
  problems.count('iterations', sim.iterations, 'moreThanZero')
}

export function describeIterationsForConstant(sim: IterationsForConstantSimulation): string {
  return `run ${sim.iterations} iterations with ${copiesText(sim.copies)}`
}

/** No end time: the iteration budget ends it. */
export function iterationsForConstantStage(sim: IterationsForConstantSimulation): ClosedStage {
  return { ...constantCopiesStage(sim.copies, 0, Number.POSITIVE_INFINITY), iterationLimit: sim.iterations }
}
