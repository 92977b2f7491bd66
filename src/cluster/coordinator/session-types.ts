/** What a coordinator session is given and what it hands back (session.ts runs it). */
import type { LoadspecConfig } from '../../config/index.js'
import type { Scenario } from '../../engine/scenario.js'
import type { RunProgress } from '../../result/progress.js'
import type { SerializedRunResult } from '../../result/result.js'
import type { CodeCheck } from '../code-check.js'
import type { ClusterLog } from '../log.js'
import type { ClusterTransport } from '../transport/transport.js'
import type { AgentDirectory } from './agent-directory.js'

export interface CoordinatorSessionOptions {
  /** The scenarios registered on the coordinator: their names and load shapes are what agents get. */
  readonly scenarios: readonly Scenario[]
  readonly config: LoadspecConfig
  readonly transport: ClusterTransport
  readonly log?: ClusterLog
  /** Aborting stops the load on every node (graceful); before the start it cancels the session. */
  readonly stopSignal?: AbortSignal
  /** Merged cumulative stats of every node: whenever every agent has sent the interval just ended, at least every interimIntervalMs. */
  readonly onProgress?: (progress: RunProgress) => void
  readonly coordinatorId?: string
  /** How often the coordinator's own node takes interim stats and progress is reported at the latest (default 1000 ms). */
  readonly interimIntervalMs?: number
  /** Jitter source of the reservation back-off (default Math.random). */
  readonly random?: () => number
  /**
   * A directory kept running across sessions by the caller (a coordinator
   * service), on the same transport and namespace: the session listens to it
   * but neither starts, stops discovering nor closes it. Default: the session
   * runs a directory of its own.
   */
  readonly directory?: AgentDirectory
  /**
   * Agents whose code for a session scenario differs from these
   * fingerprints fail the session before load (the first one heard, at
   * once), or with AllowCodeMismatch each one reserved is a warning on the
   * result. Default: no check.
   */
  readonly codeCheck?: CodeCheck
}

/** Milestones of a session, in ms since it began (for bench/ and diagnostics). */
export interface SessionTimings {
  /** Every slot had an agent: the reservation was complete (first time). */
  readonly agentsFoundMs: number
  /** Every agent accepted its assignment. */
  readonly agentsAcceptedMs: number
  /** Every node had finished its inits. */
  readonly nodesReadyMs: number
  /** The common start time: load begins on every node. */
  readonly loadStartMs: number
  readonly finishedMs: number
}

export interface CoordinatorRun {
  readonly sessionId: string
  readonly result: SerializedRunResult
  readonly timings: SessionTimings
  /** Reservation attempts it took to get every agent (1 without competition). */
  readonly reservationAttempts: number
}

/** Milestones never reached (a run that stopped early) count as reached when it finished. */
export function completeTimings(reached: { readonly [K in keyof SessionTimings]?: number }, nowMs: number): SessionTimings {
  const finishedMs = reached.finishedMs ?? nowMs
  return {
    agentsFoundMs: reached.agentsFoundMs ?? finishedMs,
    agentsAcceptedMs: reached.agentsAcceptedMs ?? finishedMs,
    nodesReadyMs: reached.nodesReadyMs ?? finishedMs,
    loadStartMs: reached.loadStartMs ?? finishedMs,
    finishedMs,
  }
}
