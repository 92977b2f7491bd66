/**
 * One start for every node: each agent's clock offset is estimated from its
 * answers to assign, NTP-style, each answer against the very assign it
 * answers (they are numbered: an answer to a re-sent assign does not count a
 * heartbeat of waiting into the round trip), keeping the fastest exchange.
 * The start time is chosen once every node is ready (far enough ahead for
 * the slowest of those round trips), and each agent gets it in its own
 * clock, so a skewed clock does not shift its start. A start that did not
 * arrive (the agent's heartbeat still says "ready") goes out again. How far
 * an agent's start may be off is known three ways (assemble-result.ts warns
 * past START_LANDING_WARNING_MS): its own lateness behind the time it was
 * given, the offset's uncertainty (half the round trip it came from), and its
 * first "running" heartbeat, which cannot arrive before the agent started.
 */
import type { AgentSlot } from './agent-slot.js'
import type { CoordinatorLink } from './link.js'

/** Start time = now + this at least: time for the start command to reach every agent. */
const MIN_START_LEAD_MS = 20
/** A start this far from the common start (either way) is a warning naming the agent. */
export const START_LANDING_WARNING_MS = 50
/** Clock offsets smaller than this (plus half the round trip) are measurement noise: Date.now() has 1 ms steps. */
const CLOCK_QUANTUM_MS = 1

export class StartClock {
  /** The common start, in the coordinator's clock; undefined until chosen. */
  startAtEpochMs: number | undefined

  constructor(
    private readonly link: CoordinatorLink,
    private readonly sessionId: string,
    private readonly heartbeatIntervalMs: number,
  ) {}

  /** The agent took its assignment (its accepted came, or a later "ready" or heartbeat shows it). */
  accepted(slot: AgentSlot): void {
    slot.state = 'accepted'
  }

  /**
   * An answer to assign number `exchange`, sent at `agentSentAtEpochMs` in
   * the agent's clock: an estimate of its offset, kept when its round trip is
   * the fastest so far. Each exchange counts once (a replay is ignored).
   */
  onExchange(slot: AgentSlot, exchange: number, agentSentAtEpochMs: number): void {
    const sentAtEpochMs = slot.assignsSent.get(exchange)
    if (sentAtEpochMs === undefined) return
    slot.assignsSent.delete(exchange)
    const estimate = estimateClockOffset(sentAtEpochMs, agentSentAtEpochMs, Date.now())
    if (estimate.roundTripMs >= slot.roundTripMs) return
    slot.roundTripMs = estimate.roundTripMs
    slot.clockOffsetMs = estimate.offsetMs
  }

  /** The agent's first "running" heartbeat: it left as its load began, so the agent started no later than it arrived. */
  onRunning(slot: AgentSlot, receivedAtEpochMs: number): void {
    if (slot.runningHeardMs !== undefined || this.startAtEpochMs === undefined) return
    slot.runningHeardMs = receivedAtEpochMs - this.startAtEpochMs
  }

  /** Chooses the start time and sends it to every slot; returns it (coordinator clock). */
  begin(slots: readonly AgentSlot[]): number {
    const slowestRoundTripMs = Math.max(0, ...slots.map((slot) => (Number.isFinite(slot.roundTripMs) ? slot.roundTripMs : 0)))
    const startAt = Date.now() + Math.max(MIN_START_LEAD_MS, 2 * slowestRoundTripMs + 5)
    this.startAtEpochMs = startAt
    for (const slot of slots) {
      slot.state = 'started'
      this.sendStart(slot)
    }
    return startAt
  }

  /** The agent still says "ready" a heartbeat after its start went out: the start was lost. */
  onStillReady(slot: AgentSlot, nowMs: number): void {
    if (slot.state === 'started' && nowMs - (slot.startSentMs ?? nowMs) >= this.heartbeatIntervalMs) this.sendStart(slot)
  }

  private sendStart(slot: AgentSlot): void {
    const agent = slot.agent
    if (agent === undefined || this.startAtEpochMs === undefined) return
    slot.startSentMs = performance.now()
    // In the agent's own clock.
    this.link.toAgent(agent.agentId, 'start', { sessionId: this.sessionId, startAtEpochMs: this.startAtEpochMs + slot.clockOffsetMs })
  }
}

/** Agent clock minus coordinator clock from one exchange; an offset within the round trip's uncertainty is taken as none. */
export function estimateClockOffset(sentAtEpochMs: number, agentSentAtEpochMs: number, receivedAtEpochMs: number): { readonly offsetMs: number; readonly roundTripMs: number } {
  const roundTripMs = Math.max(0, receivedAtEpochMs - sentAtEpochMs)
  const offset = agentSentAtEpochMs - (sentAtEpochMs + receivedAtEpochMs) / 2
  return { roundTripMs, offsetMs: Math.abs(offset) > roundTripMs / 2 + CLOCK_QUANTUM_MS ? offset : 0 }
}
