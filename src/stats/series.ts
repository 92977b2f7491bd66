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
import { difference, EMPTY_DISTRIBUTION, subtractDistribution, type HistogramDifference } from './distribution.js'
import { subtractErrorGroups } from './error-groups.js'
import { subtractHistogram } from './histogram-arithmetic.js'
import { EMPTY_HISTOGRAM } from './histogram.js'
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

/** How an interval's histograms are made: per kind of distribution, from the two snapshots' histograms. */
export interface IntervalHistograms {
  readonly latency: HistogramDifference
  readonly sizes: HistogramDifference
  /** Service time and start lag. */
  readonly openModel: HistogramDifference
}

/** Every histogram of the interval, exact. */
export const EXACT_HISTOGRAMS: IntervalHistograms = { latency: subtractHistogram, sizes: subtractHistogram, openModel: subtractHistogram }

const NO_HISTOGRAM: HistogramDifference = () => EMPTY_HISTOGRAM

/**
 * What a time-series point keeps: latency at 3 significant digits, as the
 * totals (each value within 0.1 %: `result.window()` adds points up and must
 * read percentiles within 1 % of the raw samples': 3 digits read them within
 * 0.09 % and 2 digits within 0.53 % in `npm run bench -- series`, and only 3
 * make `result.window(0)` equal the totals), no size, service-time or start-lag
 * histograms (their exact scalars stay). Size per latency histogram of one
 * interval (compressed base64, `npm run bench -- series`): 0.3 KB for 100
 * samples, 0.9-1.3 KB for 1000, 2.3-4.8 KB for 10 000, 2.6-7.1 KB for
 * 100 000 (log-normal around 5 ms, and spread over 50 µs..5 s): a point of a few scenarios stays
 * far below NATS' 1 MB payload, one message per point. The engine's recorder
 * hands the latency histogram of each interval over with its extremes;
 * cutting it out of two snapshots is the fallback.
 */
export const SERIES_HISTOGRAMS: IntervalHistograms = {
  latency: (current, previous, what, extremes) => extremes?.histogram ?? subtractHistogram(current, previous, what),
  sizes: NO_HISTOGRAM,
  openModel: NO_HISTOGRAM,
}

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
  histograms: IntervalHistograms = EXACT_HISTOGRAMS,
): SerializedScenarioStats {
  // The first snapshot after a reset holds only this interval, its min and max included.
  if (previous === undefined && histograms === EXACT_HISTOGRAMS) return current
  return subtractScenario(current, previous ?? emptySnapshotLike(current), extremes, histograms)
}

function subtractScenario(
  current: SerializedScenarioStats,
  previous: SerializedScenarioStats,
  extremes: ScenarioExtremes | undefined,
  histograms: IntervalHistograms,
): SerializedScenarioStats {
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
    ...subtractCommon(current, previous, extremes, histograms, where),
    serviceTimeUs: subtractOptional(current.serviceTimeUs, previous.serviceTimeUs, extremes?.serviceTimeUs, histograms.openModel, `${where}: service time`),
    startLagUs: subtractOptional(current.startLagUs, previous.startLagUs, extremes?.startLagUs, histograms.openModel, `${where}: start lag`),
    steps: subtractSteps(current.steps, previous.steps, extremes, histograms, where),
  }
}

/** What a recorder serializes right after a reset: the origin of its first interval. */
function emptySnapshotLike(current: SerializedScenarioStats): SerializedScenarioStats {
  const optional = (distribution: SerializedDistribution | undefined) => (distribution === undefined ? undefined : EMPTY_DISTRIBUTION)
  return {
    ...current,
    ...EMPTY_COMMON,
    durationMs: 0,
    window: { startMs: current.window.startMs, endMs: current.window.startMs, pausedMs: 0 },
    droppedIterations: 0,
    serviceTimeUs: optional(current.serviceTimeUs),
    startLagUs: optional(current.startLagUs),
    steps: [],
  }
}

const EMPTY_MEASUREMENT: SerializedMeasurement = { count: 0, latencyUs: EMPTY_DISTRIBUTION, bytes: EMPTY_DISTRIBUTION }
const EMPTY_COMMON: SerializedCommonStats = { ok: EMPTY_MEASUREMENT, fail: EMPTY_MEASUREMENT, statusCodes: [], errors: [] }

function subtractCommon(
  current: SerializedCommonStats,
  previous: SerializedCommonStats,
  extremes: CommonExtremes | undefined,
  histograms: IntervalHistograms,
  where: string,
): SerializedCommonStats {
  return {
    ok: subtractMeasurement(current.ok, previous.ok, extremes?.ok, histograms, `${where}: ok requests`),
    fail: subtractMeasurement(current.fail, previous.fail, extremes?.fail, histograms, `${where}: failed requests`),
    statusCodes: subtractStatusCodes(current.statusCodes, previous.statusCodes, where),
    errors: subtractErrorGroups(current.errors, previous.errors, where),
  }
}

function subtractMeasurement(
  current: SerializedMeasurement,
  previous: SerializedMeasurement,
  extremes: MeasurementExtremes | undefined,
  histograms: IntervalHistograms,
  what: string,
): SerializedMeasurement {
  return {
    count: difference(current.count, previous.count, `${what} count`),
    latencyUs: subtractDistribution(current.latencyUs, previous.latencyUs, extremes?.latencyUs, `${what} latency`, histograms.latency),
    bytes: subtractDistribution(current.bytes, previous.bytes, extremes?.bytes, `${what} sizes`, histograms.sizes),
  }
}

function subtractSteps(
  current: readonly SerializedStepStats[],
  previous: readonly SerializedStepStats[],
  extremes: ScenarioExtremes | undefined,
  histograms: IntervalHistograms,
  where: string,
): SerializedStepStats[] {
  const before = new Map(previous.map((step) => [step.stepName, step]))
  const missing = previous.find((step) => !current.some((s) => s.stepName === step.stepName))
  if (missing !== undefined) {
    throw new Error(`${where}: step '${missing.stepName}' is in the previous snapshot but not in the current one`)
  }
  return current.map((step) => {
    const earlier = before.get(step.stepName)
    // A step first seen in this interval: everything it holds is the interval's.
    if (earlier === undefined && histograms === EXACT_HISTOGRAMS) return step
    const stepExtremes = extremes?.steps.get(step.stepName)
    return { stepName: step.stepName, ...subtractCommon(step, earlier ?? EMPTY_COMMON, stepExtremes, histograms, `${where}, step '${step.stepName}'`) }
  })
}

function subtractOptional(
  current: SerializedDistribution | undefined,
  previous: SerializedDistribution | undefined,
  extremes: Extremes | undefined,
  histogramDifference: HistogramDifference,
  what: string,
): SerializedDistribution | undefined {
  if (current === undefined || previous === undefined) {
    if (current !== previous) throw new Error(`${what}: one snapshot is of an open model and the other is not`)
    return undefined
  }
  return subtractDistribution(current, previous, extremes, what, histogramDifference)
}
