import type { SerializedScenarioStats } from '../stats/types.js'

/** Cumulative stats of the whole run (every node merged), about once a reporting interval while load runs. */
export interface RunProgress {
  readonly elapsedMs: number
  readonly scenarios: readonly SerializedScenarioStats[]
}
