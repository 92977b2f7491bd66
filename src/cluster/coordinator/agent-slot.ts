/**
 * One agent's place in a session, as the coordinator tracks it: which agent
 * fills it, how far it got, when it was last heard from, its clock offset,
 * its latest interim stats and its final report.
 */
import type { SerializedScenarioStats } from '../../stats/types.js'
import type { AgentSummary } from '../errors.js'
import type { AgentPlacement } from '../placement.js'
import { ReportAssembly } from '../protocol/final-report.js'
import type { AgentPhase } from '../protocol/messages.js'
import type { NodeReport } from '../protocol/node-report.js'

export type SlotState =
  | 'empty'
  /** assign sent, no answer yet */
  | 'assigned'
  /** inits running */
  | 'accepted'
  /** inits done, waiting for start */
  | 'ready'
  /** start sent: load running */
  | 'started'
  /** final report in (or an unusable one replaced by the last interim stats) */
  | 'finished'
  /** stopped answering, or failed after the start */
  | 'lost'

/** Clock offsets smaller than this (plus half the round trip) are measurement noise: Date.now() has 1 ms steps. */
const CLOCK_QUANTUM_MS = 1

export class AgentSlot {
  state: SlotState = 'empty'
  agent: AgentSummary | undefined
  /** Date.now() when the first assign of this agent went out. */
  assignSentAtEpochMs = 0
  /** performance.now() of the last publish of assign. */
  lastAssignMs = 0
  lastHeardMs = 0
  lastPhase: AgentPhase | undefined
  /** Agent clock minus coordinator clock, 0 when within measurement noise. */
  clockOffsetMs = 0
  roundTripMs = 0
  initMs: number | undefined
  startSentMs: number | undefined
  stopSentMs: number | undefined
  lastInterim: { readonly stats: readonly SerializedScenarioStats[]; readonly elapsedMs: number } | undefined
  report: NodeReport | undefined
  /** Why the slot ended without a usable report. */
  lostReason: string | undefined
  readonly assembly = new ReportAssembly()

  constructor(
    readonly index: number,
    readonly placement: AgentPlacement,
  ) {}

  get isActive(): boolean {
    return this.state === 'assigned' || this.state === 'accepted' || this.state === 'ready' || this.state === 'started'
  }

  get isDone(): boolean {
    return this.state === 'finished' || this.state === 'lost'
  }

  fill(agent: AgentSummary, nowMs: number): void {
    this.agent = agent
    this.state = 'assigned'
    this.assignSentAtEpochMs = Date.now()
    this.lastAssignMs = nowMs
    this.lastHeardMs = nowMs
  }

  vacate(): void {
    this.agent = undefined
    this.state = 'empty'
    this.lastPhase = undefined
  }

  /**
   * The first answer to assign: estimates the agent's clock offset from the
   * time it says it sent the answer, NTP-style. An offset within the
   * round trip's uncertainty is taken as none.
   */
  accept(agentSentAtEpochMs: number | undefined): void {
    this.state = 'accepted'
    if (agentSentAtEpochMs === undefined) return
    const receivedAt = Date.now()
    this.roundTripMs = Math.max(0, receivedAt - this.assignSentAtEpochMs)
    const offset = agentSentAtEpochMs - (this.assignSentAtEpochMs + receivedAt) / 2
    this.clockOffsetMs = Math.abs(offset) > this.roundTripMs / 2 + CLOCK_QUANTUM_MS ? offset : 0
  }
}
