/** How long a run's load should last, for "elapsed / total" in live progress. */
import { loadPlanMs, type Scenario } from '../engine/scenario.js'

/**
 * Warm-up plus load of the longest scenario, in ms; undefined when a plan
 * ends by iteration count (no length up front) or does not compile (the run
 * itself reports why).
 */
export function plannedDurationMs(scenarios: readonly Scenario[]): number | undefined {
  let longestMs = 0
  for (const scenario of scenarios) {
    if (scenario.handler === undefined) continue
    let planMs: number
    try {
      planMs = loadPlanMs(scenario)
    } catch {
      return undefined
    }
    longestMs = Math.max(longestMs, scenario.settings.warmUpMs + planMs)
  }
  return Number.isFinite(longestMs) && longestMs > 0 ? longestMs : undefined
}
