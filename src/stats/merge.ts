/**
 * Merging the partial stats of the nodes that ran one scenario. Exact:
 * histograms are added bucket by bucket, so every percentile of the result is
 * the percentile of one histogram that recorded every sample. (Averaging the
 * nodes' percentiles, weighted or not, is wrong as soon as nodes differ.)
 */
import { mergeDistributions } from './distribution.js'
import { mergeErrorGroups } from './error-groups.js'
import { mergeStatusCodes } from './status-codes.js'
import type {
  MeasuredWindow,
  SerializedCommonStats,
  SerializedDistribution,
  SerializedMeasurement,
  SerializedScenarioStats,
  SerializedStepStats,
} from './types.js'

export function mergeScenarioStats(parts: readonly SerializedScenarioStats[]): SerializedScenarioStats {
  const first = parts[0]
  if (first === undefined) throw new Error('mergeScenarioStats() needs at least one part, got none')
  const { scenarioName } = first
  const foreign = parts.find((part) => part.scenarioName !== scenarioName)
  if (foreign !== undefined) {
    throw new Error(`Cannot merge stats of different scenarios: '${scenarioName}' and '${foreign.scenarioName}'`)
  }
  const where = `scenario '${scenarioName}'`
  return {
    version: 2,
    scenarioName,
    // One common window: nodes start together and run the same plan, so rps = every node's requests over it
    // (the sum of the nodes' rps over that window); a node that stopped early does not shorten it.
    durationMs: Math.max(...parts.map((part) => part.durationMs)),
    window: commonWindow(parts.map((part) => part.window)),
    droppedIterations: sum(parts.map((part) => part.droppedIterations)),
    ...mergeCommon(parts, where),
    serviceTimeUs: mergeOptionalDistributions(parts.map((part) => part.serviceTimeUs), `service time of ${where}`),
    startLagUs: mergeOptionalDistributions(parts.map((part) => part.startLagUs), `start lag of ${where}`),
    steps: mergeSteps(parts, where),
  }
}

function mergeCommon(parts: readonly SerializedCommonStats[], where: string): SerializedCommonStats {
  return {
    ok: mergeMeasurements(parts.map((part) => part.ok), `ok requests of ${where}`),
    fail: mergeMeasurements(parts.map((part) => part.fail), `failed requests of ${where}`),
    statusCodes: mergeStatusCodes(parts.map((part) => part.statusCodes)),
    errors: mergeErrorGroups(parts.map((part) => part.errors)),
  }
}

function mergeMeasurements(parts: readonly SerializedMeasurement[], what: string): SerializedMeasurement {
  return {
    count: sum(parts.map((part) => part.count)),
    latencyUs: mergeDistributions(
      parts.map((part) => part.latencyUs),
      `latency of ${what}`,
    ),
    bytes: mergeDistributions(
      parts.map((part) => part.bytes),
      `sizes of ${what}`,
    ),
  }
}

/** The span every node's window lies in; its pauses are the plan's, the same on every node. */
function commonWindow(windows: readonly MeasuredWindow[]): MeasuredWindow {
  return {
    startMs: Math.min(...windows.map((window) => window.startMs)),
    endMs: Math.max(...windows.map((window) => window.endMs)),
    pausedMs: Math.max(...windows.map((window) => window.pausedMs)),
  }
}

/** Steps merged by name, in the order they first appear. */
function mergeSteps(parts: readonly SerializedScenarioStats[], where: string): SerializedStepStats[] {
  const byName = new Map<string, SerializedStepStats[]>()
  for (const part of parts) {
    for (const step of part.steps) {
      const same = byName.get(step.stepName)
      if (same === undefined) byName.set(step.stepName, [step])
      else same.push(step)
    }
  }
  return [...byName].map(([stepName, steps]) => ({
    stepName,
    ...mergeCommon(steps, `step '${stepName}' of ${where}`),
  }))
}

/** Present when any node ran the scenario as an open model. */
function mergeOptionalDistributions(parts: readonly (SerializedDistribution | undefined)[], what: string): SerializedDistribution | undefined {
  const present = parts.filter((part): part is SerializedDistribution => part !== undefined)
  return present.length === 0 ? undefined : mergeDistributions(present, what)
}

function sum(values: readonly number[]): number {
  let total = 0
  for (const value of values) total += value
  return total
}
