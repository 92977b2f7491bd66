/**
 * One start for every node: each agent's clock offset is estimated from its
 * answer to assign, the start time is chosen once every node is ready (far
 * enough ahead for the slowest round trip), and each agent gets it in its own
 * clock, so a skewed clock does not shift its start. A start that did not
 * arrive (the agent's heartbeat still says "ready") goes out again.
 */
import type { AgentSlot } from './agent-slot.js'
import type { CoordinatorLink } from './link.js'

/** Start time = now + this at least: time for the start command to reach every agent. */
const MIN_START_LEAD_MS = 20
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

  /**
   * The first answer to assign. `agentSentAtEpochMs` (the agent's clock when
   * it answered) gives the offset, NTP-style; undefined when the answer was
   * only inferred (from a later "ready" or a heartbeat).
   */
  accepted(slot: AgentSlot, agentSentAtEpochMs: number | undefined): void {
    slot.state = 'accepted'
    if (agentSentAtEpochMs === undefined) return
    const estimate = estimateClockOffset(slot.assignSentAtEpochMs, agentSentAtEpochMs, Date.now())
    slot.roundTripMs = estimate.roundTripMs
    slot.clockOffsetMs = estimate.offsetMs
  }

  /** Chooses the start time and sends it to every slot; returns it (coordinator clock). */
  begin(slots: readonly AgentSlot[]): number {
    const slowestRoundTripMs = Math.max(0, ...slots.map((slot) => slot.roundTripMs))
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
