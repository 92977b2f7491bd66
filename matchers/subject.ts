/**
 * What a matcher was given, reduced to one set of stats and a label for
 * messages. Anything else is a usage error, thrown, so that neither `.not`
 * nor an asymmetric match can turn it into a pass.
 */
import { isRunResult } from '../src/result/result.js'
import type { ScenarioStats, StepStats } from '../src/stats/types.js'

export interface StatsSubject {
  readonly stats: ScenarioStats | StepStats
  /** `scenario "checkout"` or `step "login" of scenario "checkout"`. */
  readonly label: string
}

export function statsSubject(received: unknown, matcherName: string): StatsSubject {
  if (isRunResult(received)) {
    const [only, ...others] = received.scenarioStats
    if (only !== undefined && others.length === 0) return subjectOf(only)
    throw new TypeError(`${matcherName}: ${oneScenarioNeeded(received.scenarioStats.map((stats) => stats.scenarioName), matcherName)}`)
  }
  if (isStats(received)) return subjectOf(received)
  throw new TypeError(
    `${matcherName} needs a RunResult with one scenario, a scenario's stats (result.getScenarioStats(name)) ` +
      `or a step's stats (result.getStepStats(scenario, step)); got ${describeValue(received)}`,
  )
}

function subjectOf(stats: ScenarioStats | StepStats): StatsSubject {
  const label = stats.kind === 'scenario' ? `scenario "${stats.scenarioName}"` : `step "${stats.stepName}" of scenario "${stats.scenarioName}"`
  return { stats, label }
}

function oneScenarioNeeded(names: readonly string[], matcherName: string): string {
  if (names.length === 0) return 'this RunResult has no scenario stats (did every scenario have load?)'
  const listed = names.map((name) => `"${name}"`).join(', ')
  return (
    `this RunResult has ${names.length} scenarios (${listed}); pick one: ` +
    `expect(result.getScenarioStats(${JSON.stringify(names[0])})).${matcherName}(…)`
  )
}

/** Structural: stats may come from another copy of loadspec (a cluster agent, a second bundle). */
function isStats(value: unknown): value is ScenarioStats | StepStats {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as Partial<Record<keyof ScenarioStats | 'stepName', unknown>>
  const kindMatches = candidate.kind === 'scenario' || (candidate.kind === 'step' && typeof candidate.stepName === 'string')
  return kindMatches && typeof candidate.scenarioName === 'string' && hasLatency(candidate.ok) && hasLatency(candidate.fail)
}

function hasLatency(measurement: unknown): boolean {
  if (typeof measurement !== 'object' || measurement === null) return false
  const latency = (measurement as { latencyMs?: unknown }).latencyMs
  return typeof latency === 'object' && latency !== null && typeof (latency as { percentile?: unknown }).percentile === 'function'
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (Array.isArray(value)) return `an array of ${value.length}`
  if (typeof value === 'object') return `an object with keys ${Object.keys(value).slice(0, 6).join(', ') || '(none)'}`
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value)}`
  return `${typeof value} ${String(value)}`
}
