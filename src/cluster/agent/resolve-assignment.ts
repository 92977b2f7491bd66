/**
 * Checks an assignment against what this agent registered and applies the
 * coordinator's load shape. No code travels: an agent runs only scenarios it
 * registered itself, by name, and refuses an assignment naming any other.
 */
import { Scenario } from '../../engine/scenario.js'
import { quoteList } from '../errors.js'
import type { AgentErrorCode, AssignMessage } from '../protocol/messages.js'

export type ResolvedAssignment =
  | { readonly ok: true; readonly scenarios: readonly Scenario[] }
  | { readonly ok: false; readonly code: AgentErrorCode; readonly message: string; readonly scenarios: readonly string[] }

export function resolveAssignment(assign: AssignMessage, registered: ReadonlyMap<string, Scenario>, agentId: string): ResolvedAssignment {
  const names = assign.scenarios.map((entry) => entry.name)
  const duplicates = names.filter((name, index) => names.indexOf(name) !== index)
  if (duplicates.length > 0) {
    return { ok: false, code: 'invalid-assignment', message: `the assignment names ${quoteList(duplicates)} more than once`, scenarios: duplicates }
  }
  const unknown = names.filter((name) => !registered.has(name))
  if (unknown.length > 0) {
    return {
      ok: false,
      code: 'unknown-scenario',
      message:
        `agent ${agentId} has no scenario named ${quoteList(unknown)} (it registered ${quoteList([...registered.keys()])}); ` +
        'agents run only scenarios they registered themselves: add it to the scenario modules the agent loads, or leave it out with TargetScenarios',
      scenarios: unknown,
    }
  }
  const scenarios = assign.scenarios.map(({ name, settings }) => {
    const own = registered.get(name) as Scenario
    // The coordinator's scenario is empty (init/clean only): so is this run of it, whatever the agent's handler.
    if (settings.loadSimulations.length === 0) return asEmpty(own)
    return own.withSettings(settings)
  })
  return { ok: true, scenarios }
}

function asEmpty(scenario: Scenario): Scenario {
  let empty = Scenario.empty(scenario.name)
  if (scenario.init !== undefined) empty = empty.withInit(scenario.init)
  if (scenario.clean !== undefined) empty = empty.withClean(scenario.clean)
  return empty
}
