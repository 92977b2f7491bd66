import type { LoadspecConfig } from '../config/index.js'
import type { Scenario } from '../engine/scenario.js'
import type { RunProgress } from '../result/progress.js'

/** What every mode (single node, local dev cluster, coordinator, agent) is asked to run. */
export interface ModeRequest {
  readonly scenarios: readonly Scenario[]
  readonly config: LoadspecConfig
  readonly stopSignal?: AbortSignal
  /** Cumulative stats of the whole run (every node merged) about once a second while load runs. */
  readonly onProgress?: (progress: RunProgress) => void
}
