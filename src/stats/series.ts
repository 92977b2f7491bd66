/**
 * Interval stats for time-series reports. The recorder only ever records
 * cumulatively (one histogram per measure on the hot path); the stats of the
 * window between two snapshots are the difference of the two.
 *
 * Compute intervals per node and merge the intervals: the snapshots of one
 * recorder only ever grow, while two merged snapshots may fold different
 * error groups once the group cap is reached.
 */
import { subtractErrorGroups } from './error-groups.js'
import { subtractHistogram } from './histogram-arithmetic.js'
import { subtractStatusCodes } from './status-codes.js'
import type {
  SerializedCommonStats,
  SerializedMeasurement,
  SerializedScenarioStats,
  SerializedStepStats,
} from './types.js'

/**
 * The stats of what was recorded after `previous` and up to `current`, two
 * cumulative snapshots of the same recorder (no reset() between them).
 * Without `previous`, the interval starts at the beginning: `current` itself.
 */
export function intervalStats(
  previous: SerializedScenarioStats | undefined,
  current: SerializedScenarioStats,
): SerializedScenarioStats {
  if (previous === undefined) return current
  const { scenarioName } = current
  if (previous.scenarioName !== scenarioName) {
    throw new Error(`Cannot compute interval stats between scenarios '${previous.scenarioName}' and '${scenarioName}'`)
  }
  const where = `interval stats of scenario '${scenarioName}'`
  return {
    version: 1,
    scenarioName,
    durationMs: difference(current.durationMs, previous.durationMs, `${where}: durationMs`),
    droppedIterations: difference(current.droppedIterations, previous.droppedIterations, `${where}: droppedIterations`),
    ...subtractCommon(current, previous, where),
    serviceTimeUs: subtractOptional(current.serviceTimeUs, previous.serviceTimeUs, `${where}: service time`),
    startLagUs: subtractOptional(current.startLagUs, previous.startLagUs, `${where}: start lag`),
    steps: subtractSteps(current.steps, previous.steps, where),
  }
}

function subtractCommon(current: SerializedCommonStats, previous: SerializedCommonStats, where: string): SerializedCommonStats {
  return {
    ok: subtractMeasurement(current.ok, previous.ok, `${where}: ok requests`),
    fail: subtractMeasurement(current.fail, previous.fail, `${where}: failed requests`),
    statusCodes: subtractStatusCodes(current.statusCodes, previous.statusCodes, where),
    errors: subtractErrorGroups(current.errors, previous.errors, where),
  }
}

function subtractMeasurement(current: SerializedMeasurement, previous: SerializedMeasurement, what: string): SerializedMeasurement {
  return {
    count: difference(current.count, previous.count, `${what} count`),
    latencyUs: subtractHistogram(current.latencyUs, previous.latencyUs, `${what} latency`),
    bytes: subtractHistogram(current.bytes, previous.bytes, `${what} sizes`),
    totalBytes: difference(current.totalBytes, previous.totalBytes, `${what} totalBytes`),
  }
}

function subtractSteps(
  current: readonly SerializedStepStats[],
  previous: readonly SerializedStepStats[],
  where: string,
): SerializedStepStats[] {
  const before = new Map(previous.map((step) => [step.stepName, step]))
  const missing = previous.find((step) => !current.some((s) => s.stepName === step.stepName))
  if (missing !== undefined) {
    throw new Error(`${where}: step '${missing.stepName}' is in the previous snapshot but not in the current one`)
  }
  return current.map((step) => {
    const earlier = before.get(step.stepName)
    if (earlier === undefined) return step
    return { stepName: step.stepName, ...subtractCommon(step, earlier, `${where}, step '${step.stepName}'`) }
  })
}

function subtractOptional(current: string | undefined, previous: string | undefined, what: string): string | undefined {
  if (current === undefined || previous === undefined) {
    if (current !== previous) throw new Error(`${what}: one snapshot is of an open model and the other is not`)
    return undefined
  }
  return subtractHistogram(current, previous, what)
}

function difference(current: number, previous: number, what: string): number {
  if (current < previous) {
    throw new Error(
      `${what} went down from ${previous} to ${current}; the previous snapshot must be an earlier snapshot ` +
        'of the same recorder, taken after its last reset()',
    )
  }
  return current - previous
}
