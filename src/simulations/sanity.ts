/**
 * Plans that are probably a unit mistake: durations given as numbers are
 * seconds (LoadStrike's convention), so `inject(10, 1, 2000)` meant as 2 s
 * plans 33 minutes. Nothing is refused (long soaks are real); the warning
 * comes before the load starts and names the numbers.
 */
import { formatDuration } from './duration.js'
import { describeSimulation } from './kinds.js'
import type { LoadSimulation } from './types.js'

/** A plan (warm-up included) longer than this is worth a word. */
export const LONG_PLAN_MS = 10 * 60_000
/** A single duration above 600 s (an interval of 1000 meant as ms, a `during` of 2000). */
export const LARGE_DURATION_MS = 600_000

/**
 * Warnings about `simulations` (and the warm-up) of scenario `scenarioName`,
 * whose plan lasts `planMs` (Infinity when it ends by an iteration count);
 * empty when nothing looks off.
 */
export function simulationSanityWarnings(scenarioName: string, simulations: readonly LoadSimulation[], warmUpMs: number, planMs: number): string[] {
  const large = [
    ...(warmUpMs > LARGE_DURATION_MS ? [warmUpMs] : []),
    ...simulations.flatMap((simulation) => durationsOf(simulation).filter((ms) => ms > LARGE_DURATION_MS)),
  ]
  const totalMs = warmUpMs + planMs
  const long = Number.isFinite(totalMs) && totalMs > LONG_PLAN_MS
  if (large.length === 0 && !long) return []
  const length = Number.isFinite(totalMs) ? `lasts ${formatDuration(totalMs)}` : 'ends by an iteration count'
  const described = simulations.map(describeSimulation).join(', ')
  const numbers = [...new Set(large.length > 0 ? large : [Math.max(warmUpMs, ...simulations.flatMap(durationsOf))])]
  const hints = numbers.map((ms) => `${ms / 1000} is ${formatDuration(ms)}; for milliseconds write '${ms / 1000}ms'`).join('; ')
  return [`scenario "${scenarioName}": its load plan ${length} (${warmUpMs > 0 ? `warm-up ${formatDuration(warmUpMs)}, ` : ''}${described}). Durations given as numbers are seconds: ${hints}`]
}

function durationsOf(simulation: LoadSimulation): number[] {
  const durations: number[] = []
  if ('intervalMs' in simulation) durations.push(simulation.intervalMs)
  if ('duringMs' in simulation) durations.push(simulation.duringMs)
  return durations
}
