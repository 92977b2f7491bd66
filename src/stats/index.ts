/** Statistics: hot-path recording, exact merging, interval stats and the stats users read. */
export type * from './types.js'
export {
  EMPTY_HISTOGRAM,
  MAX_RECORDABLE_VALUE,
  decodeHistogram,
  encodeHistogram,
  histogramsReady,
  initHistograms,
} from './histogram.js'
export { MAX_STEPS, ScenarioRecorder } from './recorder.js'
export type { ScenarioRecorderOptions } from './recorder.js'
export { StepRecorder } from './request-recorder.js'
export { MAX_STATUS_CODES, OTHER_STATUS_CODE } from './status-codes.js'
export type { RawStatusCode } from './status-codes.js'
export { MAX_ERROR_GROUPS, OTHER_ERRORS_MESSAGE } from './error-groups.js'
export { buildScenarioStats, buildStepStats } from './build.js'
export { mergeScenarioStats } from './merge.js'
export { intervalStats } from './series.js'
export { parseSerializedScenarioStats, serializedScenarioStatsSchema } from './schema.js'
