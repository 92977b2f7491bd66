/**
 * Agent identity in a running session: an agent id names a role, the
 * instance id a process. While a session runs, an announce under a slot's
 * agent id either comes from the slot's own process (an idle announce then
 * means it left the session without a word) or from another process: a
 * restart, if the slot's process stays silent, or a second process started
 * with the same id. Two live processes under one id are settled the same way
 * by every coordinator: the oldest keeps the id, the others are told to
 * leave (after the session they serve, if any). No session is disturbed, and
 * no process runs load that nobody counts, since reserve and assign name
 * their instance.
 */
import { oldestFirst, type AgentDirectory, type HeardAgent, type IdConflict } from './agent-directory.js'
import type { AgentSlot } from './agent-slot.js'
import type { CoordinatorLink } from './link.js'
import { idConflictNote } from './session-errors.js'
import type { SessionWatch } from './session-watch.js'

export interface IdentityFindings {
  /** The slot's process left the session (it announced itself idle, or busy elsewhere). */
  onLeft(slot: AgentSlot, reason: string): void
  /** Something worth a line in the log and a warning on the result. */
  onNote(note: string): void
}

export class AgentIdentities {
  constructor(
    private readonly link: CoordinatorLink,
    private readonly directory: AgentDirectory,
    private readonly slots: readonly AgentSlot[],
    private readonly sessionId: string,
    private readonly watch: SessionWatch,
    private readonly findings: IdentityFindings,
  ) {}

  /** Starts following the directory; returns the function that stops it. */
  listen(): () => void {
    return this.directory.listen({ onAnnounce: (agent) => this.onAnnounce(agent), onConflict: (conflict) => this.onConflict(conflict) })
  }

  private onAnnounce(agent: HeardAgent): void {
    const slot = this.slots.find((candidate) => candidate.state === 'started' && candidate.agent?.agentId === agent.agentId)
    if (slot === undefined) return
    if (agent.instanceId !== slot.agent?.instanceId) {
      this.watch.suspectRestart(slot, agent)
      return
    }
    // Announces and session messages of one process arrive in the order it sent them, so an idle
    // announce after the start means it left this session (gave up on us) without a word.
    if (agent.state === 'idle' || agent.sessionId !== this.sessionId) {
      const now = agent.state === 'idle' ? 'idle' : `busy with session ${agent.sessionId ?? 'unknown'}`
      this.findings.onLeft(slot, `left the session: it announced itself ${now} (it heard nothing from this coordinator for AgentLostTimeoutMs)`)
    }
  }

  private onConflict(conflict: IdConflict): void {
    const [keeper, ...others] = oldestFirst(conflict.instances)
    if (keeper === undefined) return
    const instances = conflict.instances.map(({ instanceId, host, pid, startedAtEpochMs }) => ({ instanceId, host, pid, startedAtEpochMs }))
    this.link.toAgent(conflict.agentId, 'id-conflict', { agentId: conflict.agentId, keepInstanceId: keeper.instanceId, instances })
    for (const other of others) this.directory.forget(conflict.agentId, other.instanceId)
    this.findings.onNote(idConflictNote(conflict.agentId, keeper, others, 'told'))
  }
}
