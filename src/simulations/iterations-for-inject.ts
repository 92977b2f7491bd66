import { z } from 'zod'
import { formatDuration } from './duration.js'
import { constantRateStage } from './inject.js'
import { ProblemList } from './problems.js'
import type { OpenSimulationSpec, SimulationOf } from './spec.js'
import type { OpenStage } from './stage.js'
import type { DurationInput } from './types.js'

/** Open model: `rate` iterations per `interval`, spread evenly, until `iterations` have started. */
export type IterationsForInjectSimulation = SimulationOf<'iterationsForInject'>

export const iterationsForInjectSpec = {
  kind: 'iterationsForInject',
  model: 'open',
  create: iterationsForInject,
  schema: z.object({ kind: z.literal('iterationsForInject'), rate: z.number(), intervalMs: z.number(), iterations: z.number() }),
  check: checkIterationsForInject,
  describe: describeIterationsForInject,
  endsByIterationCount: true,
  openStage: iterationsForInjectStage,
} satisfies OpenSimulationSpec<'iterationsForInject'>

const OWNER = 'Simulation.iterationsForInject'

export function iterationsForInject(rate: number, interval: DurationInput, iterations: number): IterationsForInjectSimulation {
  const problems = new ProblemList(OWNER)
  problems.rate('rate', rate, 'moreThanZero')
  const intervalMs = problems.duration('interval', interval, 'moreThanZero')
  problems.count('iterations', iterations, 'moreThanZero')
  problems.throwIfAny()
  return { kind: 'iterationsForInject', rate, intervalMs, iterations }
}

export function checkIterationsForInject(sim: IterationsForInjectSimulation, problems: ProblemList): void {
  problems.rate('rate', sim.rate, 'moreThanZero')
  problems.durationMs('intervalMs', sim.intervalMs, 'moreThanZero')
  problems.count('iterations', sim.iterations, 'moreThanZero')
}

export function describeIterationsForInject(sim: IterationsForInjectSimulation): string {
  return `inject ${sim.rate} per ${formatDuration(sim.intervalMs)} for ${sim.iterations} iterations`
}

/** Iteration k is due at k * interval / rate; the stage lasts iterations * interval / rate. */
export function iterationsForInjectStage(sim: IterationsForInjectSimulation): OpenStage {
  const durationMs = (sim.iterations * sim.intervalMs) / sim.rate
  // The count is given, not derived from the duration, so no rounding can add or lose one.
  return constantRateStage(sim.rate, sim.intervalMs, durationMs, sim.iterations)
}
