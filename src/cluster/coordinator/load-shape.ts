/**
 * The load shape as the coordinator sends it, and the lengths it implies
 * (for the series interval every node uses and for the deadline of a
 * straggling agent).
 */
import { loadPlanMs, type Scenario } from '../../engine/scenario.js'
import type { WireScenarioSettings } from '../protocol/messages.js'

/** The load shape of a scenario as it travels (DESIGN: the coordinating test decides the load). */
export function wireSettings(scenario: Scenario): WireScenarioSettings {
  const { loadSimulations, warmUpMs, iterationTimeoutMs, gracefulStopMs, maxConcurrency, weight } = scenario.settings
  // Empty scenarios (init/clean only) carry no load; an agent runs them as empty too.
  return { loadSimulations: scenario.handler === undefined ? [] : [...loadSimulations], warmUpMs, iterationTimeoutMs, gracefulStopMs, maxConcurrency, weight }
}

/** Warm-up plus plan; Infinity for iteration-bound plans, 0 for empty scenarios. */
export function planLengthMs(scenario: Scenario): number {
  if (scenario.handler === undefined) return 0
  return loadPlanMs(scenario) + scenario.settings.warmUpMs
}

/** How long a node may take for a scenario's load, graceful stop included. */
export function expectedLoadMs(scenario: Scenario): number {
  return planLengthMs(scenario) + scenario.settings.gracefulStopMs
}
