/**
 * One agent's place in a session, as the coordinator tracks it: which agent
 * process fills it, how far it got, when it was last heard from, its clock
 * offset, the intervals it sent while running and its final report. Plain state: the
 * pieces of the session (start-clock, session-watch, collection) read and
 * write it.
 */
import { ReportAssembly } from '../protocol/final-report.js'
import type { AgentPhase } from '../protocol/messages.js'
import type { NodeReport } from '../protocol/node-report.js'
import type { HeardAgent } from './agent-directory.js'
import { IntervalLedger } from './interval-ledger.js'
import type { SlotPlan } from './plan.js'

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
  /** final report in */
  | 'finished'
  /** stopped answering, or failed after the start */
  | 'lost'

export class AgentSlot {
  state: SlotState = 'empty'
  agent: HeardAgent | undefined
  /** Date.now() when each assign (by exchange number) went out, until answered. */
  readonly assignsSent = new Map<number, number>()
  /** The number of the last assign sent. */
  lastExchange = 0
  /** performance.now() of the last publish of assign. */
  lastAssignMs = 0
  lastHeardMs = 0
  lastPhase: AgentPhase | undefined
  /** Agent clock minus coordinator clock, 0 when within measurement noise; from the fastest exchange answered. */
  clockOffsetMs = 0
  /** Round trip of that exchange; Infinity before the first answer. */
  roundTripMs = Number.POSITIVE_INFINITY
  /** When its first "running" heartbeat arrived, ms after the common start (coordinator clock; − means before it). */
  runningHeardMs: number | undefined
  initMs: number | undefined
  startSentMs: number | undefined
  stopSentMs: number | undefined
  /** The per-interval deltas it sent while running (its figures so far). */
  readonly intervals = new IntervalLedger()
  /** Intervals of its final time series that never arrived as interims (set with the final report). */
  missingIntervals: readonly number[] = []
  report: NodeReport | undefined
  /** Why the slot ended without a usable report. */
  lostReason: string | undefined
  readonly assembly = new ReportAssembly()

  constructor(readonly plan: SlotPlan) {}

  get index(): number {
    return this.plan.index
  }

  get isActive(): boolean {
    return this.state === 'assigned' || this.state === 'accepted' || this.state === 'ready' || this.state === 'started'
  }

  get isDone(): boolean {
    return this.state === 'finished' || this.state === 'lost'
  }

  /** True when `senderId`/`instanceId` is the process in this slot (not a namesake). */
  holds(senderId: string, instanceId: string): boolean {
    return this.agent?.agentId === senderId && this.agent.instanceId === instanceId
  }

  fill(agent: HeardAgent, nowMs: number): void {
    this.agent = agent
    this.state = 'assigned'
    this.lastAssignMs = nowMs
    this.lastHeardMs = nowMs
  }

  vacate(): void {
    this.agent = undefined
    this.state = 'empty'
    this.lastPhase = undefined
    this.initMs = undefined
    this.assignsSent.clear()
    this.clockOffsetMs = 0
    this.roundTripMs = Number.POSITIVE_INFINITY
  }
}
