/**
 * Interval stats for time-series reports. The recorder only ever records
 * cumulatively (one histogram per measure on the hot path); the stats of the
 * window between two snapshots are the difference of the two, and its min
 * and max are the recorder's own (ScenarioRecorder.takeExtremes), since
 * extremes cannot be subtracted.
 *
 * Compute intervals per node and merge the intervals: the snapshots of one
 * recorder only ever grow, while two merged snapshots may fold different
 * error groups once the group cap is reached.
 */
import { difference, subtractDistribution } from './distribution.js'
import { subtractErrorGroups } from './error-groups.js'
import type { ScenarioExtremes } from './recorder.js'
import type { CommonExtremes } from './request-recorder.js'
import { subtractStatusCodes } from './status-codes.js'
import type {
  SerializedCommonStats,
  SerializedDistribution,
  SerializedMeasurement,
  SerializedScenarioStats,
  SerializedStepStats,
} from './types.js'
import type { MeasurementExtremes } from './measurement-recorder.js'
import type { Extremes } from './distribution.js'

/**
 * The stats of what was recorded after `previous` and up to `current`, two
 * cumulative snapshots of the same recorder (no reset() between them).
 * Without `previous`, the interval starts at the beginning: `current` itself.
 * `extremes`, taken from the recorder together with `current`, gives the
 * interval's exact min and max; without it the cumulative ones stand in.
 * The interval's window runs from where the previous one ended.
 */
export function intervalStats(
  previous: SerializedScenarioStats | undefined,
  current: SerializedScenarioStats,
  extremes?: ScenarioExtremes,
): SerializedScenarioStats {
  // The first snapshot after a reset holds only this interval, its min and max included.
  if (previous === undefined) return current
  const { scenarioName } = current
  if (previous.scenarioName !== scenarioName) {
    throw new Error(`Cannot compute interval stats between scenarios '${previous.scenarioName}' and '${scenarioName}'`)
  }
  const where = `interval stats of scenario '${scenarioName}'`
  return {
    version: 2,
    scenarioName,
    durationMs: difference(current.durationMs, previous.durationMs, `${where}: durationMs`),
    window: {
      startMs: previous.window.endMs,
      endMs: current.window.endMs,
      pausedMs: difference(current.window.pausedMs, previous.window.pausedMs, `${where}: pausedMs`),
    },
    droppedIterations: difference(current.droppedIterations, previous.droppedIterations, `${where}: droppedIterations`),
    ...subtractCommon(current, previous, extremes, where),
    serviceTimeUs: subtractOptional(current.serviceTimeUs, previous.serviceTimeUs, extremes?.serviceTimeUs, `${where}: service time`),
    startLagUs: subtractOptional(current.startLagUs, previous.startLagUs, extremes?.startLagUs, `${where}: start lag`),
    steps: subtractSteps(current.steps, previous.steps, extremes, where),
  }
}

function subtractCommon(
  current: SerializedCommonStats,
  previous: SerializedCommonStats,
  extremes: CommonExtremes | undefined,
  where: string,
): SerializedCommonStats {
  return {
    ok: subtractMeasurement(current.ok, previous.ok, extremes?.ok, `${where}: ok requests`),
    fail: subtractMeasurement(current.fail, previous.fail, extremes?.fail, `${where}: failed requests`),
    statusCodes: subtractStatusCodes(current.statusCodes, previous.statusCodes, where),
    errors: subtractErrorGroups(current.errors, previous.errors, where),
  }
}

function subtractMeasurement(
  current: SerializedMeasurement,
  previous: SerializedMeasurement,
  extremes: MeasurementExtremes | undefined,
  what: string,
): SerializedMeasurement {
  return {
    count: difference(current.count, previous.count, `${what} count`),
    latencyUs: subtractDistribution(current.latencyUs, previous.latencyUs, extremes?.latencyUs, `${what} latency`),
    bytes: subtractDistribution(current.bytes, previous.bytes, extremes?.bytes, `${what} sizes`),
  }
}

function subtractSteps(
  current: readonly SerializedStepStats[],
  previous: readonly SerializedStepStats[],
  extremes: ScenarioExtremes | undefined,
  where: string,
): SerializedStepStats[] {
  const before = new Map(previous.map((step) => [step.stepName, step]))
  const missing = previous.find((step) => !current.some((s) => s.stepName === step.stepName))
  if (missing !== undefined) {
    throw new Error(`${where}: step '${missing.stepName}' is in the previous snapshot but not in the current one`)
  }
  return current.map((step) => {
    const earlier = before.get(step.stepName)
    const stepExtremes = extremes?.steps.get(step.stepName)
    if (earlier === undefined) return step
    return { stepName: step.stepName, ...subtractCommon(step, earlier, stepExtremes, `${where}, step '${step.stepName}'`) }
  })
}

function subtractOptional(
  current: SerializedDistribution | undefined,
  previous: SerializedDistribution | undefined,
  extremes: Extremes | undefined,
  what: string,
): SerializedDistribution | undefined {
  if (current === undefined || previous === undefined) {
    if (current !== previous) throw new Error(`${what}: one snapshot is of an open model and the other is not`)
    return undefined
  }
  return subtractDistribution(current, previous, extremes, what)
}
