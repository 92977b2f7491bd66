/**
 * Reservation: getting every agent a session needs, all or nothing.
 *
 * An attempt sends `reserve` (with a short lease) to as many idle agents as
 * the session has slots, and waits up to answerWindowMs for their answers.
 * Every agent `reserved`: the set is complete and the session assigns them.
 * One `busy` (it says who holds it) or one silence: the attempt fails, every
 * agent asked gets `release`, and the next attempt waits a jittered,
 * growing back-off. Two coordinators that each reserved half of the agents
 * therefore both let go and, a random moment later, one of them takes all:
 * they finish one after the other instead of each holding half until
 * ClusterCommandTimeoutMs. An agent whose coordinator vanished mid-attempt
 * is free again when its lease lapses.
 */
import type { AgentSummary } from '../errors.js'
import type { Holder, MessageOf } from '../protocol/messages.js'
import type { AgentDirectory, HeardAgent } from './agent-directory.js'
import type { CoordinatorLink } from './link.js'
import { backoffMs, type ReservationTiming } from './plan.js'

export interface ReservationOptions {
  readonly sessionId: string
  /** How many agents the session needs (its slots). */
  readonly needed: number
  readonly timing: ReservationTiming
  readonly directory: AgentDirectory
  readonly link: CoordinatorLink
  /** The complete set, in slot order. */
  readonly onComplete: (agents: readonly HeardAgent[]) => void
  /** For the jitter (tests pass their own). */
  readonly random?: () => number
}

interface Attempt {
  readonly number: number
  readonly asked: ReadonlyMap<string, HeardAgent>
  readonly held: Map<string, HeardAgent>
  readonly sentMs: number
  readonly timer: NodeJS.Timeout
}

interface Refusal {
  /** The agent's clock when it refused: an idle announce sent later makes it a candidate again. */
  readonly atEpochMs: number
  readonly holder: Holder | null
  readonly message: string
}

export class Reservation {
  /** Attempts made so far (the last one's number). */
  attempts = 0
  /** Attempts that failed (each one doubles the back-off ceiling, up to its maximum). */
  failures = 0
  private current: Attempt | undefined
  private complete = false
  private closed = false
  private nextAttemptAtMs = 0
  private retryTimer: NodeJS.Timeout | undefined
  private readonly refusals = new Map<string, Refusal>()
  /** Agents that did not answer a reserve, with when they were asked: candidates again once heard after that. */
  private readonly unanswered = new Map<string, number>()
  /** Agents this session will not ask again (they let it down after reserving). */
  private readonly excluded = new Set<string>()
  private readonly stopListening: () => void
  private readonly random: () => number

  constructor(private readonly options: ReservationOptions) {
    this.random = options.random ?? Math.random
    this.stopListening = options.directory.listen({ onAnnounce: () => this.tryNow() })
  }

  start(): void {
    this.tryNow()
  }

  onReserved(message: MessageOf<'reserved'>): void {
    const attempt = this.current
    if (attempt === undefined || message.attempt !== attempt.number) return
    const asked = attempt.asked.get(message.senderId)
    // Another process with the same agent id cannot answer for the one asked.
    if (asked === undefined || asked.instanceId !== message.senderInstanceId) return
    attempt.held.set(asked.agentId, asked)
    if (attempt.held.size < attempt.asked.size) return
    clearTimeout(attempt.timer)
    this.current = undefined
    this.complete = true
    this.options.onComplete([...attempt.asked.values()])
  }

  /** A refused reserve (attempt set) fails the attempt; a refused assign (attempt null) is the conductor's to handle, after recording it here. */
  onBusy(message: MessageOf<'busy'>): void {
    this.refusals.set(message.senderId, { atEpochMs: message.sentAtEpochMs, holder: message.holder, message: message.message })
    const attempt = this.current
    if (message.attempt === null || attempt === undefined || message.attempt !== attempt.number || !attempt.asked.has(message.senderId)) return
    this.options.link.log.info(`agent ${message.senderId} is busy (${message.message}); releasing this attempt's reservations and trying again`)
    this.fail()
  }

  /** The set broke after it was complete (an agent refused or ignored its assign): start over, after a back-off. */
  restart(): void {
    if (this.closed) return
    this.complete = false
    this.failures++
    this.nextAttemptAtMs = performance.now() + backoffMs(this.options.timing, this.failures, this.random)
    this.tryNow()
  }

  /** This session will not ask the agent again (it reserved, then did not answer its assignment). */
  exclude(agentId: string): void {
    this.excluded.add(agentId)
  }

  /** What became of an agent here, for the agents-missing error; undefined when nothing did. */
  noteOf(agent: AgentSummary): string | undefined {
    if (this.excluded.has(agent.agentId)) return 'did not answer its assignment'
    const refusal = this.refusals.get(agent.agentId)
    if (refusal !== undefined) return refusal.holder === null ? 'shutting down' : describeHolder(refusal.holder)
    if (this.unanswered.has(agent.agentId)) return 'did not answer a reservation'
    return undefined
  }

  /** Ends every attempt; agents this session still holds in an attempt are released. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.stopListening()
    clearTimeout(this.retryTimer)
    if (this.current !== undefined) this.releaseAttempt(this.current)
    this.current = undefined
  }

  private tryNow(): void {
    if (this.closed || this.complete || this.current !== undefined) return
    const nowMs = performance.now()
    if (nowMs < this.nextAttemptAtMs) {
      if (this.retryTimer === undefined) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined
          this.tryNow()
        }, Math.ceil(this.nextAttemptAtMs - nowMs))
      }
      return
    }
    const candidates = [...this.options.directory.agents.values()]
      .filter((agent) => this.isCandidate(agent))
      // One order for every coordinator: racing coordinators then tend to ask the same agent first, and one of them simply wins.
      .sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0))
    if (candidates.length < this.options.needed) return
    const asked = new Map(candidates.slice(0, this.options.needed).map((agent) => [agent.agentId, agent]))
    const number = ++this.attempts
    const { timing, link, sessionId } = this.options
    const timer = setTimeout(() => this.onWindowEnd(number), timing.answerWindowMs)
    this.current = { number, asked, held: new Map(), sentMs: nowMs, timer }
    for (const agent of asked.values()) {
      link.toAgent(agent.agentId, 'reserve', {
        sessionId,
        agentId: agent.agentId,
        agentInstanceId: agent.instanceId,
        attempt: number,
        leaseMs: timing.leaseMs,
        coordinatorHost: link.host,
        coordinatorPid: link.pid,
      })
    }
  }

  private isCandidate(agent: HeardAgent): boolean {
    if (agent.state !== 'idle' || this.excluded.has(agent.agentId)) return false
    const refusal = this.refusals.get(agent.agentId)
    if (refusal !== undefined && agent.announcedAtEpochMs <= refusal.atEpochMs) return false
    const askedAtMs = this.unanswered.get(agent.agentId)
    return askedAtMs === undefined || agent.lastHeardMs > askedAtMs
  }

  private onWindowEnd(number: number): void {
    const attempt = this.current
    if (attempt === undefined || attempt.number !== number) return
    const silent = [...attempt.asked.values()].filter((agent) => !attempt.held.has(agent.agentId))
    for (const agent of silent) this.unanswered.set(agent.agentId, attempt.sentMs)
    this.options.link.log.info(
      `${silent.map((agent) => agent.agentId).join(', ')} did not answer a reservation within ${this.options.timing.answerWindowMs} ms; releasing this attempt's reservations and trying again`,
    )
    this.fail()
  }

  private fail(): void {
    const attempt = this.current
    if (attempt === undefined) return
    clearTimeout(attempt.timer)
    this.current = undefined
    this.releaseAttempt(attempt)
    this.failures++
    this.nextAttemptAtMs = performance.now() + backoffMs(this.options.timing, this.failures, this.random)
    this.tryNow()
  }

  /** Every agent asked, answered or not: a reserve still on its way is released by the release behind it. */
  private releaseAttempt(attempt: Attempt): void {
    for (const agent of attempt.asked.values()) this.options.link.toAgent(agent.agentId, 'release', { sessionId: this.options.sessionId })
  }
}

export function describeHolder(holder: Holder): string {
  return `busy: ${holder.state === 'reserved' ? 'reserved for' : 'serving'} session ${holder.sessionId} of coordinator ${holder.coordinatorId} (host ${holder.host}, pid ${holder.pid})`
}
