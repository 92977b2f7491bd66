import { z } from 'zod'
import { formatDuration } from './duration.js'
import { copiesText } from './keep-constant.js'
import { clamp } from './math.js'
import { ProblemList } from './problems.js'
import type { ClosedSimulationSpec, ClosedStageStart, SimulationOf } from './spec.js'
import type { ClosedStage } from './stage.js'
import type { DurationInput } from './types.js'

/** Closed model: copies move linearly from the previous stage's copies to `copies` over `during`. */
export type RampingConstantSimulation = SimulationOf<'rampingConstant'>

export const rampingConstantSpec = {
  kind: 'rampingConstant',
  model: 'closed',
  create: rampingConstant,
  schema: z.object({ kind: z.literal('rampingConstant'), copies: z.number(), duringMs: z.number() }),
  check: checkRampingConstant,
  describe: describeRampingConstant,
  endsByIterationCount: false,
  closedStage: rampingConstantStage,
} satisfies ClosedSimulationSpec<'rampingConstant'>

const OWNER = 'Simulation.rampingConstant'

export function rampingConstant(copies: number, during: DurationInput): RampingConstantSimulation {
  const problems = new ProblemList(OWNER)
  // 0 is a valid target: a ramp down to nothing.
  problems.count('copies', copies, 'zeroOrMore')
  const duringMs = problems.duration('during', during, 'moreThanZero')
  problems.throwIfAny()
  return { kind: 'rampingConstant', copies, duringMs }
}

export function checkRampingConstant(sim: RampingConstantSimulation, problems: ProblemList): void {
  problems.count('copies', sim.copies, 'zeroOrMore')
  problems.durationMs('duringMs', sim.duringMs, 'moreThanZero')
}

export function describeRampingConstant(sim: RampingConstantSimulation): string {
  return `ramp to ${copiesText(sim.copies)} over ${formatDuration(sim.duringMs)}`
}

/** The ramp starts from the copies the previous stage ended with (0 for the first stage or after a pause). */
export function rampingConstantStage(sim: RampingConstantSimulation, { startMs, previousCopies }: ClosedStageStart): ClosedStage {
  return copiesRampStage(previousCopies, sim.copies, startMs, sim.duringMs)
}

/**
 * Copies follow the line from `fromCopies` to `toCopies` rounded to the
 * nearest integer, so each one-copy step happens where the line crosses the
 * half-way point between two integers: step j (1-based) of n is at
 * startMs + (j - 0.5) * durationMs / n, in either direction. From that
 * instant on the new value holds (the half-way point rounds away from the
 * start). copiesAt counts the steps at or before t with those very times,
 * so it agrees with changePointsMs to the last bit.
 */
export function copiesRampStage(fromCopies: number, toCopies: number, startMs: number, durationMs: number): ClosedStage {
  const stepCount = Math.abs(toCopies - fromCopies)
  const direction = Math.sign(toCopies - fromCopies)
  const stepAtMs = (step: number): number => startMs + ((step - 0.5) * durationMs) / stepCount
  const stepsTakenBy = (tMs: number): number => {
    let steps = clamp(Math.floor(((tMs - startMs) * stepCount) / durationMs + 0.5), 0, stepCount)
    while (steps < stepCount && stepAtMs(steps + 1) <= tMs) steps++
    while (steps > 0 && stepAtMs(steps) > tMs) steps--
    return steps
  }
  return {
    startMs,
    durationMs,
    startCopies: fromCopies,
    endCopies: toCopies,
    maxCopies: Math.max(fromCopies, toCopies),
    copiesAt: (tMs) => (stepCount === 0 ? fromCopies : fromCopies + direction * stepsTakenBy(tMs)),
    changePointsMs: () => Array.from({ length: stepCount }, (_, index) => stepAtMs(index + 1)),
  }
}
