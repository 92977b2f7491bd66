import { z } from 'zod'
import { formatDuration } from './duration.js'
import { ProblemList } from './problems.js'
import type { OpenSimulationSpec, SimulationOf } from './spec.js'
import type { OpenStage } from './stage.js'
import type { DurationInput } from './types.js'

/** Open model: `rate` iterations per `interval`, spread evenly, for `during`. */
export type InjectSimulation = SimulationOf<'inject'>

export const injectSpec = {
  kind: 'inject',
  model: 'open',
  create: inject,
  schema: z.object({ kind: z.literal('inject'), rate: z.number(), intervalMs: z.number(), duringMs: z.number() }),
  check: checkInject,
  describe: describeInject,
  endsByIterationCount: false,
  openStage: injectStage,
} satisfies OpenSimulationSpec<'inject'>

const OWNER = 'Simulation.inject'

export function inject(rate: number, interval: DurationInput, during: DurationInput): InjectSimulation {
  const problems = new ProblemList(OWNER)
  problems.rate('rate', rate, 'moreThanZero')
  const intervalMs = problems.duration('interval', interval, 'moreThanZero')
  const duringMs = problems.duration('during', during, 'moreThanZero')
  problems.throwIfAny()
  return { kind: 'inject', rate, intervalMs, duringMs }
}

/** The same rules for a simulation that arrived as data. */
export function checkInject(sim: InjectSimulation, problems: ProblemList): void {
  problems.rate('rate', sim.rate, 'moreThanZero')
  problems.durationMs('intervalMs', sim.intervalMs, 'moreThanZero')
  problems.durationMs('duringMs', sim.duringMs, 'moreThanZero')
}

export function describeInject(sim: InjectSimulation): string {
  return `inject ${sim.rate} per ${formatDuration(sim.intervalMs)} for ${formatDuration(sim.duringMs)}`
}

export function injectStage(sim: InjectSimulation): OpenStage {
  return constantRateStage(sim.rate, sim.intervalMs, sim.duringMs)
}

/**
 * A constant rate, k6 constant-arrival-rate style: iteration k is due at
 * k * intervalMs / rate, the first one at the start. The rate is kept as
 * `rate` and `intervalMs` rather than their quotient so that round inputs
 * give round times (100 per 1000 ms: k * 10 exactly, not k * 10.000000000000002).
 */
export function constantRateStage(
  rate: number,
  intervalMs: number,
  durationMs: number,
  expectedIterations: number = (rate * durationMs) / intervalMs,
): OpenStage {
  const ratePerMs = rate / intervalMs
  return {
    durationMs,
    expectedIterations,
    endRatePerMs: ratePerMs,
    expectedBy: (localMs) => (localMs * rate) / intervalMs,
    timeOfExpected: (expected) => (expected <= 0 ? 0 : Math.min(durationMs, (expected * intervalMs) / rate)),
    risesAfter: () => rate > 0,
    ratePerMsAt: () => ratePerMs,
  }
}
