/**
 * Warnings about scenarios as registered, given before any load runs: a
 * scenario with no load simulation (it runs one iteration), and plans that
 * look like a unit mistake (see simulations/sanity.ts).
 */
import { simulationSanityWarnings } from '../simulations/sanity.js'
import { DEFAULT_SCENARIO_SETTINGS, loadPlanMs, type Scenario } from './scenario.js'

export function scenarioPlanWarnings(scenarios: readonly Scenario[]): string[] {
  return scenarios.flatMap((scenario) => {
    // Scenario.empty has no handler and so no load: nothing to say.
    if (scenario.handler === undefined) return []
    if (scenario.settings.loadSimulations === DEFAULT_SCENARIO_SETTINGS.loadSimulations) {
      return [`scenario "${scenario.name}" has no load simulation, so it runs one iteration; give it one with .withLoadSimulations(Simulation.inject(10, 1, 30))`]
    }
    return simulationSanityWarnings(scenario.name, scenario.settings.loadSimulations, scenario.settings.warmUpMs, planMsOf(scenario))
  })
}

/** 0 for simulations that do not combine: the run itself reports why, at once. */
function planMsOf(scenario: Scenario): number {
  try {
    return loadPlanMs(scenario)
  } catch {
    return 0
  }
}
