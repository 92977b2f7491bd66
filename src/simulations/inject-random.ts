import { z } from 'zod'
import { formatDuration } from './duration.js'
import { clamp, lastIndexAtMost } from './math.js'
import { ProblemList } from './problems.js'
import type { OpenSimulationSpec, OpenStageStart, SimulationOf } from './spec.js'
import type { OpenStage } from './stage.js'
import type { DurationInput } from './types.js'

/** Open model: each interval gets its own random rate in [minRate, maxRate], spread evenly within it. */
export type InjectRandomSimulation = SimulationOf<'injectRandom'>

export const injectRandomSpec = {
  kind: 'injectRandom',
  model: 'open',
  create: injectRandom,
  schema: z.object({ kind: z.literal('injectRandom'), minRate: z.number(), maxRate: z.number(), intervalMs: z.number(), duringMs: z.number() }),
  check: checkInjectRandom,
  describe: describeInjectRandom,
  endsByIterationCount: false,
  openStage: injectRandomStage,
} satisfies OpenSimulationSpec<'injectRandom'>

const OWNER = 'Simulation.injectRandom'

/** One random rate is held per interval; past this many a longer interval is needed. */
export const MAX_RANDOM_INTERVALS = 10_000_000

export function injectRandom(
  minRate: number,
  maxRate: number,
  interval: DurationInput,
  during: DurationInput,
): InjectRandomSimulation {
  const problems = new ProblemList(OWNER)
  checkRates(problems, minRate, maxRate)
  const intervalMs = problems.duration('interval', interval, 'moreThanZero')
  const duringMs = problems.duration('during', during, 'moreThanZero')
  checkIntervalCount(problems, intervalMs, duringMs, during)
  problems.throwIfAny()
  return { kind: 'injectRandom', minRate, maxRate, intervalMs, duringMs }
}

export function checkInjectRandom(sim: InjectRandomSimulation, problems: ProblemList): void {
  checkRates(problems, sim.minRate, sim.maxRate)
  const intervalOk = problems.durationMs('intervalMs', sim.intervalMs, 'moreThanZero')
  const duringOk = problems.durationMs('duringMs', sim.duringMs, 'moreThanZero')
  if (intervalOk && duringOk) checkIntervalCount(problems, sim.intervalMs, sim.duringMs, sim.duringMs)
}

export function describeInjectRandom(sim: InjectRandomSimulation): string {
  return `inject random ${sim.minRate} to ${sim.maxRate} per ${formatDuration(sim.intervalMs)} for ${formatDuration(sim.duringMs)}`
}

/**
 * Draws every interval's rate now, so the plan is fixed (and testable with a
 * seeded `random`) before it runs. The stage ends at the last interval's rate.
 */
export function injectRandomStage(sim: InjectRandomSimulation, { random }: OpenStageStart): OpenStage {
  const { intervalMs, duringMs } = sim
  const intervalCount = countIntervals(intervalMs, duringMs)
  const intervalEndMs = (i: number): number => (i === intervalCount - 1 ? duringMs : (i + 1) * intervalMs)
  const ratesPerMs = new Float64Array(intervalCount)
  // expectedBefore[i]: the area under the rate before interval i starts.
  const expectedBefore = new Float64Array(intervalCount)
  let expected = 0
  for (let i = 0; i < intervalCount; i++) {
    const rate = sim.minRate + drawFraction(random) * (sim.maxRate - sim.minRate)
    ratesPerMs[i] = rate / intervalMs
    expectedBefore[i] = expected
    expected += (rate * (intervalEndMs(i) - i * intervalMs)) / intervalMs
  }
  const intervalAt = (localMs: number): number => clamp(Math.floor(localMs / intervalMs), 0, intervalCount - 1)
  return {
    durationMs: duringMs,
    expectedIterations: expected,
    endRatePerMs: ratesPerMs[intervalCount - 1] as number,
    expectedBy(localMs) {
      const i = intervalAt(localMs)
      return (expectedBefore[i] as number) + (ratesPerMs[i] as number) * (localMs - i * intervalMs)
    },
    timeOfExpected(target) {
      // The last interval starting at or below the target is the one that rises past it
      // (intervals drawn at rate 0 share their start value with the next one).
      const i = Math.max(0, lastIndexAtMost(expectedBefore, target))
      const ratePerMs = ratesPerMs[i] as number
      if (ratePerMs <= 0) return intervalEndMs(i)
      const localMs = i * intervalMs + (target - (expectedBefore[i] as number)) / ratePerMs
      return clamp(localMs, 0, intervalEndMs(i))
    },
    risesAfter: (localMs) => (ratesPerMs[intervalAt(localMs)] as number) > 0,
    ratePerMsAt: (localMs) => ratesPerMs[intervalAt(localMs)] as number,
  }
}

function checkRates(problems: ProblemList, minRate: unknown, maxRate: unknown): void {
  const minOk = problems.rate('minRate', minRate, 'zeroOrMore')
  const maxOk = problems.rate('maxRate', maxRate, 'moreThanZero')
  if (minOk && maxOk && minRate > maxRate) problems.add('minRate', minRate, `at most "maxRate" (${maxRate})`)
}

function checkIntervalCount(problems: ProblemList, intervalMs: number, duringMs: number, during: unknown): void {
  if (!(intervalMs > 0 && duringMs > 0)) return
  const count = countIntervals(intervalMs, duringMs)
  if (count > MAX_RANDOM_INTERVALS) {
    problems.add('during', during, `at most ${MAX_RANDOM_INTERVALS} intervals long (it holds one random rate per interval; it is ${count} here: use a longer interval)`)
  }
}

/** Whole intervals plus a last, shorter one when `during` is not a multiple of `interval`. */
function countIntervals(intervalMs: number, duringMs: number): number {
  return Math.max(1, Math.ceil(duringMs / intervalMs - 1e-9))
}

function drawFraction(random: () => number): number {
  const fraction = random()
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`random() must return a number in [0, 1), got ${fraction}`)
  return fraction
}
