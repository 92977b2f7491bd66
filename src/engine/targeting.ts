import type { Scenario } from './scenario.js'

/**
 * Applies TargetScenarios: an empty list means every registered scenario; a
 * name that was not registered is an error rather than a silent skip.
 */
export function selectTargetScenarios(scenarios: readonly Scenario[], targetNames: readonly string[]): Scenario[] {
  if (targetNames.length === 0) return [...scenarios]
  const registered = new Map(scenarios.map((scenario) => [scenario.name, scenario]))
  const unknown = targetNames.filter((name) => !registered.has(name))
  if (unknown.length > 0) {
    throw new Error(
      `TargetScenarios names ${unknown.map((name) => `"${name}"`).join(', ')} but no such scenario is registered; ` +
        `registered: ${[...registered.keys()].map((name) => `"${name}"`).join(', ') || 'none'}`,
    )
  }
  return targetNames.map((name) => registered.get(name) as Scenario)
}

export function assertUniqueScenarioNames(scenarios: readonly Scenario[]): void {
  const seen = new Set<string>()
  for (const scenario of scenarios) {
    if (seen.has(scenario.name)) {
      throw new Error(`Two scenarios are named "${scenario.name}": scenario names must be unique within a run`)
    }
    seen.add(scenario.name)
  }
}
