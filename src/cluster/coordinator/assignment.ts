/**
 * Assigning a reserved set of agents: each slot gets its agent process and
 * its assign (re-sent every heartbeat until answered), then follows it
 * through accepted (inits running) to ready (inits done). Heartbeats carry
 * the agent's phase, so a lost accepted or ready is caught up from them. A
 * set that breaks before the start is withdrawn whole: every assigned agent
 * gets cancel (its clean runs) and the slots are empty again.
 */
import type { AgentPhase, CoordinatorPhase } from '../protocol/messages.js'
import type { HeardAgent } from './agent-directory.js'
import type { AgentSlot } from './agent-slot.js'
import type { CoordinatorLink } from './link.js'
import { assignBody, type SessionPlan } from './plan.js'
import type { StartClock } from './start-clock.js'

export class Assignment {
  constructor(
    private readonly link: CoordinatorLink,
    private readonly plan: SessionPlan,
    private readonly sessionId: string,
    private readonly slots: readonly AgentSlot[],
    private readonly clock: StartClock,
  ) {}

  /** The reserved set, in slot order: every slot is filled and assigned. */
  fill(agents: readonly HeardAgent[], nowMs: number): void {
    for (const [index, slot] of this.slots.entries()) {
      const agent = agents[index]
      if (agent === undefined) continue
      slot.fill(agent, nowMs)
      this.sendAssign(slot)
    }
  }

  get everyoneAccepted(): boolean {
    return this.slots.every((slot) => slot.state === 'accepted' || slot.state === 'ready')
  }

  get everyoneReady(): boolean {
    return this.slots.every((slot) => slot.state === 'ready')
  }

  /** Every heartbeat: assigns not answered for a heartbeat go out again, the others get a heartbeat. */
  tick(phase: CoordinatorPhase, nowMs: number): void {
    for (const slot of this.slots) {
      const agentId = slot.agent?.agentId
      if (agentId === undefined) continue
      if (slot.state === 'assigned' && nowMs - slot.lastAssignMs >= this.plan.heartbeatIntervalMs) this.sendAssign(slot)
      else if (slot.isActive && slot.state !== 'assigned') this.link.toAgent(agentId, 'heartbeat', { sessionId: this.sessionId, phase })
    }
  }

  /** Any answer to an assign refines the clock offset (the fastest exchange wins); the first moves the slot on. */
  onAccepted(slot: AgentSlot, exchange: number, agentSentAtEpochMs: number): void {
    this.clock.onExchange(slot, exchange, agentSentAtEpochMs)
    if (slot.state === 'assigned') this.clock.accepted(slot)
  }

  onReady(slot: AgentSlot, initMs: number): void {
    if (slot.state === 'assigned') this.clock.accepted(slot)
    if (slot.state !== 'accepted') return
    slot.state = 'ready'
    slot.initMs = initMs
  }

  /** The phase an agent's heartbeat reports: a lost accepted or ready is caught up. */
  onPhase(slot: AgentSlot, phase: AgentPhase): void {
    slot.lastPhase = phase
    if (slot.state === 'assigned' && (phase === 'initializing' || phase === 'ready')) this.clock.accepted(slot)
    if (slot.state === 'accepted' && phase === 'ready') slot.state = 'ready'
  }

  /** The set broke before the start: cancel every assigned agent and empty the slots. */
  withdraw(reason: string): void {
    for (const slot of this.slots) {
      if (slot.isActive && slot.agent !== undefined) this.link.toAgent(slot.agent.agentId, 'cancel', { sessionId: this.sessionId, reason })
      slot.vacate()
    }
  }

  private sendAssign(slot: AgentSlot): void {
    const agent = slot.agent
    if (agent === undefined) return
    slot.lastAssignMs = performance.now()
    const exchange = ++slot.lastExchange
    slot.assignsSent.set(exchange, Date.now())
    const to = { sessionId: this.sessionId, agentId: agent.agentId, agentInstanceId: agent.instanceId, exchange, coordinatorHost: this.link.host, coordinatorPid: this.link.pid }
    this.link.toAgent(agent.agentId, 'assign', assignBody(this.plan, slot.plan, to))
  }
}
