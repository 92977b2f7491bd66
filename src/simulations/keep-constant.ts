import { z } from 'zod'
import { formatDuration } from './duration.js'
import { ProblemList } from './problems.js'
import type { ClosedSimulationSpec, ClosedStageStart, SimulationOf } from './spec.js'
import type { ClosedStage } from './stage.js'
import type { DurationInput } from './types.js'

/** Closed model: `copies` copies run iterations back to back for `during`. */
export type KeepConstantSimulation = SimulationOf<'keepConstant'>

export const keepConstantSpec = {
  kind: 'keepConstant',
  model: 'closed',
  create: keepConstant,
  schema: z.object({ kind: z.literal('keepConstant'), copies: z.number(), duringMs: z.number() }),
  check: checkKeepConstant,
  describe: describeKeepConstant,
  endsByIterationCount: false,
  closedStage: keepConstantStage,
} satisfies ClosedSimulationSpec<'keepConstant'>

const OWNER = 'Simulation.keepConstant'

export function keepConstant(copies: number, during: DurationInput): KeepConstantSimulation {
  const problems = new ProblemList(OWNER)
  problems.count('copies', copies, 'moreThanZero')
  const duringMs = problems.duration('during', during, 'moreThanZero')
  problems.throwIfAny()
  return { kind: 'keepConstant', copies, duringMs }
}

export function checkKeepConstant(sim: KeepConstantSimulation, problems: ProblemList): void {
  problems.count('copies', sim.copies, 'moreThanZero')
  problems.durationMs('duringMs', sim.duringMs, 'moreThanZero')
}

export function describeKeepConstant(sim: KeepConstantSimulation): string {
  return `keep ${copiesText(sim.copies)} for ${formatDuration(sim.duringMs)}`
}

export function keepConstantStage(sim: KeepConstantSimulation, { startMs }: ClosedStageStart): ClosedStage {
  return constantCopiesStage(sim.copies, startMs, sim.duringMs)
}

export function constantCopiesStage(copies: number, startMs: number, durationMs: number): ClosedStage {
  return {
    startMs,
    durationMs,
    startCopies: copies,
    endCopies: copies,
    maxCopies: copies,
    copiesAt: () => copies,
    changePointsMs: () => [],
  }
}

export function copiesText(copies: number): string {
  return copies === 1 ? '1 copy' : `${copies} copies`
}
