/**
 * Collection: what the nodes measured, while the load runs (interims: each
 * agent's per-interval deltas, added up into live progress) and at its end
 * (final reports, cut into parts and acknowledged). Progress goes out as
 * soon as every running agent has sent the interval just ended, or half an
 * interim interval later than due at the latest. A stop before the planned end (the user's, or a lost
 * agent's) asks every started agent to end its load gracefully and report;
 * an agent still running a heartbeat later gets the stop again. The one
 * merged result is assembled from all this (assemble-result.ts).
 */
import { errorMessage } from '../../engine/outcome.js'
import { mergeByScenario } from '../../result/merge.js'
import type { RunProgress } from '../../result/progress.js'
import type { SerializedScenarioStats } from '../../stats/types.js'
import { parseReportText } from '../protocol/final-report.js'
import type { MessageOf } from '../protocol/messages.js'
import type { AgentSlot } from './agent-slot.js'
import type { CoordinatorLink } from './link.js'
import { LiveTotals } from './live-totals.js'

export type FinalOutcome =
  /** Every part is in and the report is usable: the slot is finished. */
  | { readonly kind: 'finished' }
  /** Every part is in, but the report cannot be used. */
  | { readonly kind: 'unusable'; readonly reason: string }

export class SessionCollection {
  /** The coordinator's own latest interim stats. */
  localLatest: readonly SerializedScenarioStats[] | undefined
  private progressTimer: NodeJS.Timeout | undefined
  private progress: { readonly onProgress: (progress: RunProgress) => void; readonly intervalMs: number; readonly startAtEpochMs: number } | undefined
  private readonly live = new LiveTotals()
  /** The highest interval every running agent had sent at the last progress report. */
  private reportedSeq = -1
  private lastReportMs = 0
  private stopReason: string | undefined

  constructor(
    private readonly link: CoordinatorLink,
    private readonly sessionId: string,
    private readonly slots: readonly AgentSlot[],
    private readonly heartbeatIntervalMs: number,
  ) {}

  /** Every started agent ends its load (graceful stop) and reports. */
  stopAll(reason: string): void {
    this.stopReason = reason
    for (const slot of this.slots) if (slot.state === 'started') this.sendStop(slot)
  }

  /** The agent's heartbeat still says "running" a heartbeat after its stop went out: the stop was lost. */
  onStillRunning(slot: AgentSlot, nowMs: number): void {
    if (slot.state === 'started' && this.stopReason !== undefined && nowMs - (slot.stopSentMs ?? nowMs) >= this.heartbeatIntervalMs) this.sendStop(slot)
  }

  /** One part of an agent's interval; replays are ignored, a point that cannot be used is logged once and skipped. */
  onInterim(slot: AgentSlot, message: MessageOf<'interim'>, wireBytes: number): void {
    if (slot.state !== 'started') return
    try {
      if (slot.intervals.add(message, wireBytes) === 'added') this.reportIfComplete()
    } catch (error) {
      this.link.warnOnce(`interim:${slot.agent?.agentId ?? ''}`, `coordinator ignored an interval of agent ${slot.agent?.agentId ?? '?'}: ${errorMessage(error)}`)
    }
  }

  /**
   * A part of an agent's final report. Every part is acknowledged once the
   * report is whole, and again when a part comes after that (the
   * acknowledgement was lost, or the agent returned after being given up).
   */
  onFinalPart(slot: AgentSlot, message: MessageOf<'final'>): FinalOutcome | undefined {
    if (slot.state === 'finished' || slot.state === 'lost') {
      this.acknowledge(slot)
      return undefined
    }
    if (slot.state !== 'started') return undefined
    const text = slot.assembly.add(message.part, message.parts, message.data)
    if (text === undefined) return undefined
    this.acknowledge(slot)
    try {
      slot.report = parseReportText(text)
      slot.state = 'finished'
      slot.missingIntervals = slot.intervals.missing(slot.report.timeSeries.points.map((point) => point.index))
      slot.intervals.release()
      return { kind: 'finished' }
    } catch (error) {
      return { kind: 'unusable', reason: `sent final stats that cannot be used (${errorMessage(error)})` }
    }
  }

  /** From the common start on: merged figures of every node whenever an interval is complete, at least every `intervalMs`. */
  startProgress(onProgress: (progress: RunProgress) => void, intervalMs: number, startAtEpochMs: number): void {
    this.progress = { onProgress, intervalMs, startAtEpochMs }
    this.lastReportMs = performance.now()
    this.progressTimer = setInterval(() => {
      // Only when a late (or lost) agent has held the interval-driven report back by half an interval.
      if (performance.now() - this.lastReportMs >= intervalMs * 1.5) this.report()
    }, intervalMs / 2)
  }

  /** Reports once every running agent has sent an interval past the last one reported. */
  private reportIfComplete(): void {
    if (this.progress === undefined) return
    let complete = Number.POSITIVE_INFINITY
    for (const slot of this.slots) if (slot.state === 'started') complete = Math.min(complete, slot.intervals.highestSeq)
    if (!Number.isFinite(complete) || complete <= this.reportedSeq) return
    this.reportedSeq = complete
    this.report()
  }

  private report(): void {
    const progress = this.progress
    if (progress === undefined) return
    this.lastReportMs = performance.now()
    try {
      const agents = this.live.fold(this.slots.map((slot) => slot.intervals))
      progress.onProgress({ elapsedMs: Date.now() - progress.startAtEpochMs, scenarios: mergeByScenario([...(this.localLatest ?? []), ...agents]) })
    } catch (error) {
      this.link.warnOnce('progress', `progress could not be reported: ${errorMessage(error)}`)
    }
  }

  stop(): void {
    clearInterval(this.progressTimer)
  }

  private sendStop(slot: AgentSlot): void {
    if (slot.agent === undefined) return
    slot.stopSentMs = performance.now()
    this.link.toAgent(slot.agent.agentId, 'stop', { sessionId: this.sessionId, reason: this.stopReason ?? 'stopped' })
  }

  private acknowledge(slot: AgentSlot): void {
    if (slot.agent !== undefined) this.link.toAgent(slot.agent.agentId, 'final-ack', { sessionId: this.sessionId })
  }
}
