import { z } from 'zod'
import { formatDuration } from './duration.js'
import { constantCopiesStage } from './keep-constant.js'
import { ProblemList } from './problems.js'
import type { ClosedStageStart, EitherSimulationSpec, SimulationOf } from './spec.js'
import type { ClosedStage, OpenStage } from './stage.js'
import type { DurationInput } from './types.js'

/** Either model: nothing starts for `during` (rate 0, or 0 copies); a following ramp starts from 0. */
export type PauseSimulation = SimulationOf<'pause'>

export const pauseSpec = {
  kind: 'pause',
  model: 'either',
  create: pause,
  schema: z.object({ kind: z.literal('pause'), duringMs: z.number() }),
  check: checkPause,
  describe: describePause,
  endsByIterationCount: false,
  openStage: pauseOpenStage,
  closedStage: pauseClosedStage,
} satisfies EitherSimulationSpec<'pause'>

const OWNER = 'Simulation.pause'

export function pause(during: DurationInput): PauseSimulation {
  const problems = new ProblemList(OWNER)
  const duringMs = problems.duration('during', during, 'zeroOrMore')
  problems.throwIfAny()
  return { kind: 'pause', duringMs }
}

export function checkPause(sim: PauseSimulation, problems: ProblemList): void {
  problems.durationMs('duringMs', sim.duringMs, 'zeroOrMore')
}

export function describePause(sim: PauseSimulation): string {
  return `pause for ${formatDuration(sim.duringMs)}`
}

export function pauseOpenStage(sim: PauseSimulation): OpenStage {
  const durationMs = sim.duringMs
  return {
    durationMs,
    expectedIterations: 0,
    endRatePerMs: 0,
    expectedBy: () => 0,
    timeOfExpected: (expected) => (expected <= 0 ? 0 : durationMs),
    risesAfter: () => false,
    ratePerMsAt: () => 0,
  }
}

export function pauseClosedStage(sim: PauseSimulation, { startMs }: ClosedStageStart): ClosedStage {
  return constantCopiesStage(0, startMs, sim.duringMs)
}
