/**
 * Agents that come too late: once a session has its whole set of agents
 * (discovery closed), an idle agent heard of for the first time is not used
 * by it. That is worth saying on the result, so a slow-starting agent (or a
 * scaled-up Deployment) does not look like one that was never there.
 */
import { describeAgent } from '../errors.js'
import type { AgentDirectory, HeardAgent } from './agent-directory.js'
import type { AgentSlot } from './agent-slot.js'

export class LateAgents {
  /** performance.now() when the session's set of agents was complete; undefined while it is being formed. */
  private closedAtMs: number | undefined
  private readonly noted = new Set<string>()

  constructor(
    private readonly directory: AgentDirectory,
    private readonly slots: readonly AgentSlot[],
    /** performance.now() when the session began. */
    private readonly beganMs: number,
    private readonly onNote: (note: string) => void,
  ) {}

  /** Starts following the directory; returns the function that stops it. */
  listen(): () => void {
    return this.directory.listen({ onAnnounce: (agent) => this.onAnnounce(agent) })
  }

  /** Every agent the session needs has accepted: from now on, a new idle agent is one that came late. */
  close(nowMs: number): void {
    this.closedAtMs ??= nowMs
  }

  private onAnnounce(agent: HeardAgent): void {
    if (this.closedAtMs === undefined || agent.state !== 'idle' || agent.firstHeardMs < this.closedAtMs) return
    if (this.noted.has(agent.agentId) || this.slots.some((slot) => slot.agent?.agentId === agent.agentId)) return
    this.noted.add(agent.agentId)
    const intoSessionS = ((agent.firstHeardMs - this.beganMs) / 1000).toFixed(1)
    this.onNote(
      `agent ${describeAgent(agent)} announced ${intoSessionS} s into the session and was not used: ` +
        `the session had its ${this.slots.length} agent${this.slots.length === 1 ? '' : 's'} (AgentsCount) by then`,
    )
  }
}
