/**
 * Collection: what the nodes measured, while the load runs (interim stats,
 * merged into live progress) and at its end (final reports, cut into parts
 * and acknowledged). A stop before the planned end (the user's, or a lost
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

export type FinalOutcome =
  /** Every part is in and the report is usable: the slot is finished. */
  | { readonly kind: 'finished' }
  /** Every part is in, but the report cannot be used. */
  | { readonly kind: 'unusable'; readonly reason: string }

export class SessionCollection {
  /** The coordinator's own latest interim stats. */
  localLatest: readonly SerializedScenarioStats[] | undefined
  private progressTimer: NodeJS.Timeout | undefined
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

  onInterim(slot: AgentSlot, message: MessageOf<'interim'>): void {
    if (slot.state === 'started') slot.lastInterim = { stats: message.stats, elapsedMs: message.elapsedMs }
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
      return { kind: 'finished' }
    } catch (error) {
      return { kind: 'unusable', reason: `sent final stats that cannot be used (${errorMessage(error)})` }
    }
  }

  /** Merged cumulative stats of every node, every `intervalMs`, from the common start on. */
  startProgress(onProgress: (progress: RunProgress) => void, intervalMs: number, startAtEpochMs: number): void {
    this.progressTimer = setInterval(() => {
      const parts: SerializedScenarioStats[] = [...(this.localLatest ?? [])]
      for (const slot of this.slots) parts.push(...(slot.report?.stats ?? slot.lastInterim?.stats ?? []))
      try {
        onProgress({ elapsedMs: Date.now() - startAtEpochMs, scenarios: mergeByScenario(parts) })
      } catch (error) {
        this.link.warnOnce('progress', `progress could not be reported: ${errorMessage(error)}`)
      }
    }, intervalMs)
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
