/**
 * Liveness of a session: who has gone silent, who is late with its final
 * stats, which agent restarted under the same id, and the coordinator's own
 * broker connection. Rather than polling, the check runs when its earliest
 * deadline falls due (liveness.ts). While the coordinator itself is cut off
 * from the broker, silence proves nothing about the agents, so nobody is
 * declared lost; when the connection comes back, every agent gets a fresh
 * AgentLostTimeoutMs to be heard. The broker is given ClusterCommandTimeoutMs
 * to come back, but once load runs only AgentLostTimeoutMs, counted from the
 * last word of any agent (a hung broker is noticed by its unanswered pings
 * only some time after it stopped passing messages): by then every agent has
 * stopped its load for want of this coordinator. The watch only notices; the conductor
 * decides what each finding means in its phase.
 */
import { runDeadlineChecks, type DeadlineChecks } from '../liveness.js'
import type { ClusterTransport, TransportStatus } from '../transport/transport.js'
import type { HeardAgent } from './agent-directory.js'
import type { AgentSlot } from './agent-slot.js'

export interface WatchFindings {
  /** The session is over: nothing more to watch. */
  isOver(): boolean
  onSilent(slot: AgentSlot, silentMs: number): void
  /** A started agent whose final stats are overdue (its load should have ended long ago). */
  onStraggler(slot: AgentSlot): void
  /** Another process announced the slot's agent id and the slot's own process has been silent since. */
  onRestarted(slot: AgentSlot, newcomer: HeardAgent): void
  /** The coordinator's connection stayed down past its limit (see BrokerLimit). */
  onBrokerGone(outageMs: number, limit: BrokerLimit): void
  onReconnected(outageMs: number): void
}

export interface WatchTiming {
  readonly heartbeatIntervalMs: number
  readonly agentLostTimeoutMs: number
  readonly clusterCommandTimeoutMs: number
}

/** Which limit an outage outlasted: before load, ClusterCommandTimeoutMs; once load runs, the shorter of it and AgentLostTimeoutMs. */
export type BrokerLimit = 'ClusterCommandTimeoutMs' | 'AgentLostTimeoutMs'

/** A restart is told from a duplicate within this many heartbeats: a live process is heard again by then. */
const RESTART_PROOF_HEARTBEATS = 2

export class SessionWatch {
  /** performance.now() when the coordinator's own connection dropped; undefined while connected. */
  disconnectedAtMs: number | undefined
  /** When a started agent's final stats are overdue (performance.now()). */
  loadDeadlineMs = Infinity
  /** Set when load starts: from then on an outage longer than AgentLostTimeoutMs ends the session. */
  loadStarted = false
  private readonly suspects = new Map<AgentSlot, { readonly newcomer: HeardAgent; readonly dueMs: number }>()
  private checks: DeadlineChecks | undefined
  private stopStatus: (() => void) | undefined

  constructor(
    private readonly slots: readonly AgentSlot[],
    private readonly timing: WatchTiming,
    private readonly findings: WatchFindings,
  ) {}

  start(transport: ClusterTransport): void {
    this.stopStatus = transport.onStatus((status) => this.onTransportStatus(status))
    this.checks = runDeadlineChecks(() => this.check(), this.timing.heartbeatIntervalMs)
  }

  stop(): void {
    this.checks?.stop()
    this.stopStatus?.()
  }

  get isDisconnected(): boolean {
    return this.disconnectedAtMs !== undefined
  }

  /** A new process under the slot's agent id: a restart if the slot's process stays silent, a duplicate if it is heard. */
  suspectRestart(slot: AgentSlot, newcomer: HeardAgent): void {
    if (this.suspects.has(slot)) return
    this.suspects.set(slot, { newcomer, dueMs: performance.now() + RESTART_PROOF_HEARTBEATS * this.timing.heartbeatIntervalMs })
  }

  private onTransportStatus(status: TransportStatus): void {
    const nowMs = performance.now()
    if (status === 'disconnected') {
      this.disconnectedAtMs ??= nowMs
      return
    }
    if (status !== 'reconnected' || this.disconnectedAtMs === undefined) return
    const outageMs = nowMs - this.disconnectedAtMs
    this.disconnectedAtMs = undefined
    for (const slot of this.slots) if (slot.isActive) slot.lastHeardMs = Math.max(slot.lastHeardMs, nowMs)
    this.findings.onReconnected(outageMs)
  }

  /** Since when the broker has been away, and how long it may stay away. */
  private outage(): { readonly sinceMs: number; readonly limitMs: number; readonly limit: BrokerLimit } {
    const disconnectedAtMs = this.disconnectedAtMs ?? performance.now()
    const { clusterCommandTimeoutMs, agentLostTimeoutMs } = this.timing
    if (!this.loadStarted || clusterCommandTimeoutMs <= agentLostTimeoutMs) {
      return { sinceMs: disconnectedAtMs, limitMs: clusterCommandTimeoutMs, limit: 'ClusterCommandTimeoutMs' }
    }
    let lastWordMs = 0
    for (const slot of this.slots) if (slot.state === 'started') lastWordMs = Math.max(lastWordMs, slot.lastHeardMs)
    return { sinceMs: lastWordMs > 0 ? Math.min(disconnectedAtMs, lastWordMs) : disconnectedAtMs, limitMs: agentLostTimeoutMs, limit: 'AgentLostTimeoutMs' }
  }

  /** Returns the next deadline: an agent's silence, the load deadline of stragglers, a restart's proof, or the broker's return. */
  private check(): number | undefined {
    if (this.findings.isOver()) return undefined
    const nowMs = performance.now()
    if (this.disconnectedAtMs !== undefined) {
      // Nobody can be heard now: only the broker's return is awaited.
      const outage = this.outage()
      const brokerDueMs = outage.sinceMs + outage.limitMs
      if (nowMs < brokerDueMs) return brokerDueMs
      this.findings.onBrokerGone(nowMs - outage.sinceMs, outage.limit)
      return undefined
    }
    const lostMs = this.timing.agentLostTimeoutMs
    let nextDueMs = Infinity
    for (const slot of this.slots) {
      // A finding can end the session: stop looking then.
      if (this.findings.isOver()) return undefined
      const suspect = this.suspects.get(slot)
      if (suspect !== undefined && (!slot.isActive || slot.lastHeardMs > suspect.newcomer.firstHeardMs)) this.suspects.delete(slot)
      else if (suspect !== undefined && nowMs >= suspect.dueMs) {
        this.suspects.delete(slot)
        this.findings.onRestarted(slot, suspect.newcomer)
        continue
      } else if (suspect !== undefined) nextDueMs = Math.min(nextDueMs, suspect.dueMs)
      if (!slot.isActive) continue
      const silentMs = nowMs - slot.lastHeardMs
      if (silentMs >= lostMs) {
        this.findings.onSilent(slot, silentMs)
        continue
      }
      if (slot.state === 'started' && nowMs >= this.loadDeadlineMs) {
        this.findings.onStraggler(slot)
        continue
      }
      nextDueMs = Math.min(nextDueMs, slot.lastHeardMs + lostMs, slot.state === 'started' ? this.loadDeadlineMs : Infinity)
    }
    return Number.isFinite(nextDueMs) ? nextDueMs : undefined
  }
}
