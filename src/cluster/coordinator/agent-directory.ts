/**
 * The agents a coordinator has heard of: it publishes `discover` (now and
 * then again, in case an agent missed it or the broker blinked) and keeps
 * the latest `announce` of every agent of its namespace.
 */
import { errorMessage } from '../../engine/outcome.js'
import type { AgentSummary } from '../errors.js'
import { WarnOnce, type ClusterLog } from '../log.js'
import type { MessageEncoder, MessageGate } from '../protocol/codec.js'
import type { AnnounceMessage } from '../protocol/messages.js'
import type { ClusterSubjects } from '../protocol/subjects.js'
import type { ClusterTransport } from '../transport/transport.js'

export interface HeardAgent extends AgentSummary {
  /** The agent's own clock at its latest announce (orders announces of one agent). */
  readonly announcedAtEpochMs: number
  /** The session a busy agent serves. */
  readonly sessionId: string | null
}

export class AgentDirectory {
  readonly agents = new Map<string, HeardAgent>()
  private readonly warnings: WarnOnce
  private unsubscribe: (() => void) | undefined
  private discoverTimer: NodeJS.Timeout | undefined

  constructor(
    private readonly transport: ClusterTransport,
    private readonly subjects: ClusterSubjects,
    private readonly encoder: MessageEncoder,
    private readonly gate: MessageGate,
    log: ClusterLog,
    private readonly onAnnounce: (agent: HeardAgent) => void,
  ) {
    this.warnings = new WarnOnce(log)
  }

  /** Listens for announces and asks every agent to announce itself, again every `discoverIntervalMs` until stopDiscovering(). */
  start(discoverIntervalMs: number): void {
    this.unsubscribe = this.transport.subscribe(this.subjects.announce, (payload, subject) => {
      const announce = this.gate.open(payload, subject, ['announce'])
      if (announce !== undefined) this.record(announce)
    })
    this.discover()
    this.discoverTimer = setInterval(() => this.discover(), discoverIntervalMs)
  }

  stopDiscovering(): void {
    clearInterval(this.discoverTimer)
    this.discoverTimer = undefined
  }

  close(): void {
    this.stopDiscovering()
    this.unsubscribe?.()
    this.unsubscribe = undefined
  }

  summaries(): AgentSummary[] {
    return [...this.agents.values()].map(({ agentId, host, pid, state, scenarios }) => ({ agentId, host, pid, state, scenarios }))
  }

  private record(announce: AnnounceMessage): void {
    const previous = this.agents.get(announce.senderId)
    if (previous !== undefined && (previous.host !== announce.host || previous.pid !== announce.pid)) {
      // Both would receive every command sent to that id: a misconfigured --agent-id, or a restart.
      this.warnings.warn(
        `same-id:${announce.senderId}`,
        `two agent processes announce the id ${announce.senderId} (host ${previous.host}, pid ${previous.pid} and host ${announce.host}, pid ${announce.pid}): ` +
          'give every agent its own id (an agent that restarted with the same id is harmless)',
      )
    }
    // Announces can overtake each other; the agent's own clock says which is newer.
    if (previous !== undefined && previous.announcedAtEpochMs > announce.sentAtEpochMs) return
    const agent: HeardAgent = {
      agentId: announce.senderId,
      host: announce.host,
      pid: announce.pid,
      state: announce.state,
      scenarios: announce.scenarios,
      announcedAtEpochMs: announce.sentAtEpochMs,
      sessionId: announce.sessionId,
    }
    this.agents.set(agent.agentId, agent)
    this.onAnnounce(agent)
  }

  private discover(): void {
    try {
      this.transport.publish(this.subjects.discover, this.encoder.encode('discover', {}))
    } catch (error) {
      this.warnings.warn('discover', `could not send "discover" on ${this.transport.description}: ${errorMessage(error)}`)
    }
  }
}
