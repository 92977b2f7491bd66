import { z } from 'zod'
import { formatDuration } from './duration.js'
import { ProblemList } from './problems.js'
import type { OpenSimulationSpec, OpenStageStart, SimulationOf } from './spec.js'
import type { OpenStage } from './stage.js'
import type { DurationInput } from './types.js'

/** Open model: the rate moves linearly from the previous stage's rate to `rate` over `during`. */
export type RampingInjectSimulation = SimulationOf<'rampingInject'>

export const rampingInjectSpec = {
  kind: 'rampingInject',
  model: 'open',
  create: rampingInject,
  schema: z.object({ kind: z.literal('rampingInject'), rate: z.number(), intervalMs: z.number(), duringMs: z.number() }),
  check: checkRampingInject,
  describe: describeRampingInject,
  endsByIterationCount: false,
  openStage: rampingInjectStage,
} satisfies OpenSimulationSpec<'rampingInject'>

const OWNER = 'Simulation.rampingInject'

export function rampingInject(rate: number, interval: DurationInput, during: DurationInput): RampingInjectSimulation {
  const problems = new ProblemList(OWNER)
  // 0 is a valid target: a ramp down to nothing.
  problems.rate('rate', rate, 'zeroOrMore')
  const intervalMs = problems.duration('interval', interval, 'moreThanZero')
  const duringMs = problems.duration('during', during, 'moreThanZero')
  problems.throwIfAny()
  return { kind: 'rampingInject', rate, intervalMs, duringMs }
}

export function checkRampingInject(sim: RampingInjectSimulation, problems: ProblemList): void {
  problems.rate('rate', sim.rate, 'zeroOrMore')
  problems.durationMs('intervalMs', sim.intervalMs, 'moreThanZero')
  problems.durationMs('duringMs', sim.duringMs, 'moreThanZero')
}

export function describeRampingInject(sim: RampingInjectSimulation): string {
  return `ramp injection to ${sim.rate} per ${formatDuration(sim.intervalMs)} over ${formatDuration(sim.duringMs)}`
}

/** The ramp starts where the previous stage ended (0 for the first stage or after a pause). */
export function rampingInjectStage(sim: RampingInjectSimulation, start: OpenStageStart): OpenStage {
  return linearRateStage(start.previousRatePerMs, sim.rate / sim.intervalMs, sim.duringMs)
}

/**
 * A rate moving linearly from `fromPerMs` to `toPerMs`. The expected count is
 * the trapezoid under it, E(t) = from*t + slope*t²/2, and its inverse solves
 * that quadratic in the form 2E / (from + sqrt(from² + 2*slope*E)), which
 * neither cancels when the slope is tiny nor divides by zero when it is 0.
 */
export function linearRateStage(fromPerMs: number, toPerMs: number, durationMs: number): OpenStage {
  const slopePerMs2 = (toPerMs - fromPerMs) / durationMs
  const expectedIterations = ((fromPerMs + toPerMs) / 2) * durationMs
  const rises = fromPerMs > 0 || toPerMs > 0
  return {
    durationMs,
    expectedIterations,
    endRatePerMs: toPerMs,
    expectedBy: (localMs) => localMs * (fromPerMs + (slopePerMs2 * localMs) / 2),
    timeOfExpected(expected) {
      if (expected <= 0) return 0
      if (expected >= expectedIterations) return durationMs
      // Never negative in exact arithmetic (it is the squared rate at that time); rounding can dip below.
      const squaredRate = Math.max(0, fromPerMs * fromPerMs + 2 * slopePerMs2 * expected)
      const denominator = fromPerMs + Math.sqrt(squaredRate)
      return denominator > 0 ? Math.min(durationMs, (2 * expected) / denominator) : durationMs
    },
    risesAfter: () => rises,
    ratePerMsAt: (localMs) => fromPerMs + slopePerMs2 * localMs,
  }
}
