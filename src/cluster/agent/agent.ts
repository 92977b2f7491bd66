/**
 * The agent state machine: idle (announcing itself, answering discover),
 * reserved by one coordinator for a short lease, or busy with one session.
 * It serves session after session until stop(). A reserve or assign that
 * arrives while it is reserved by another coordinator or busy is refused
 * with "busy", naming who holds it, so coordinators racing for the same
 * agents get a clear answer and can back off.
 *
 * Each agent process has an instance id besides its agent id; reserve and
 * assign name the instance, so a second process started with the same
 * --agent-id never joins a session meant for the first. When a coordinator
 * hears both, it sends id-conflict naming the instance it keeps; the other
 * leaves (after its session, if it serves one) and says which process holds
 * the id.
 */
import { hostname } from 'node:os'
import type { Partition } from '../../engine/context.js'
import type { Scenario } from '../../engine/scenario.js'
import { errorMessage } from '../../engine/outcome.js'
import { describeAgent } from '../errors.js'
import { newInstanceId, newNodeId } from '../ids.js'
import { silentClusterLog, WarnOnce, type ClusterLog } from '../log.js'
import { MessageEncoder, MessageGate } from '../protocol/codec.js'
import type { Holder, MessageBody, MessageKind, MessageOf } from '../protocol/messages.js'
import { clusterSubjects, type ClusterSubjects } from '../protocol/subjects.js'
import type { ClusterTransport } from '../transport/transport.js'
import { fingerprintsOf, type Fingerprints } from '../fingerprint.js'
import { AgentSession, type SessionCommand, type SessionOutcome } from './agent-session.js'
import { ReservationHold } from './reservation-hold.js'

export interface ClusterAgentOptions {
  /** The scenarios this agent can run (by name); the coordinator sends only their load shape. */
  readonly scenarios: readonly Scenario[]
  readonly transport: ClusterTransport
  readonly clusterId: string
  readonly agentGroup: string
  /** Default: `<host>-<pid>-<random>`, sanitized into a subject token. */
  readonly agentId?: string
  readonly log?: ClusterLog
  readonly onEvent?: (event: AgentEvent) => void
  /** Where a session's own figures are saved when its coordinator never collects them (default: not saved). */
  readonly savedStatsFolder?: string
}

/** The process that keeps an agent id another process also announced. */
export interface IdKeeper {
  readonly instanceId: string
  readonly host: string
  readonly pid: number
  readonly startedAtEpochMs: number
}

/** Why an agent left the cluster by itself. */
export interface AgentRetirement {
  readonly reason: 'duplicate-id'
  readonly message: string
  readonly keeper: IdKeeper
}

export type AgentEvent =
  | {
      readonly type: 'session-started'
      readonly sessionId: string
      readonly coordinatorId: string
      readonly scenarios: readonly string[]
      readonly partition: Partition
    }
  | { readonly type: 'session-ended'; readonly sessionId: string; readonly outcome: SessionOutcome }
  | { readonly type: 'retired'; readonly retirement: AgentRetirement }

const COMMAND_KINDS = ['reserve', 'release', 'assign', 'start', 'stop', 'cancel', 'final-ack', 'heartbeat', 'id-conflict'] as const
type Command = MessageOf<(typeof COMMAND_KINDS)[number]>

export class ClusterAgent {
  readonly agentId: string
  readonly instanceId = newInstanceId()
  readonly startedAtEpochMs = Date.now()
  /** Computed once, when the agent starts: the code it loaded, whatever the files say later. */
  private readonly fingerprints: Fingerprints
  readonly host = hostname()
  readonly pid = process.pid
  /** Resolves if this agent leaves the cluster by itself (another process was kept for its id); it has stopped then. */
  readonly retired: Promise<AgentRetirement>
  private resolveRetired: ((retirement: AgentRetirement) => void) | undefined
  private retiring: AgentRetirement | undefined
  private readonly subjects: ClusterSubjects
  private readonly encoder: MessageEncoder
  private readonly gate: MessageGate
  private readonly log: ClusterLog
  private readonly warnings: WarnOnce
  private readonly registered: ReadonlyMap<string, Scenario>
  private readonly hold: ReservationHold
  private readonly unsubscribes: (() => void)[] = []
  private session: AgentSession | undefined
  private sessionDone: Promise<void> | undefined
  private stopped = false
  /** Sessions served so far (any outcome but refused). */
  sessionsServed = 0

  constructor(private readonly options: ClusterAgentOptions) {
    this.agentId = options.agentId ?? newNodeId('agent')
    this.log = options.log ?? silentClusterLog
    this.warnings = new WarnOnce(this.log)
    const namespace = { clusterId: options.clusterId, agentGroup: options.agentGroup }
    this.subjects = clusterSubjects(options.clusterId, options.agentGroup)
    this.encoder = new MessageEncoder(namespace, this.agentId, this.instanceId)
    this.gate = new MessageGate(namespace, this.log, `agent ${this.agentId}`)
    this.registered = new Map(options.scenarios.map((scenario) => [scenario.name, scenario]))
    this.fingerprints = fingerprintsOf(options.scenarios)
    this.hold = new ReservationHold((holder) => {
      this.log.debug(`agent ${this.agentId}: the reservation for session ${holder.sessionId} of coordinator ${holder.coordinatorId} lapsed (no assign within its lease)`)
      if (!this.stopped) this.announce()
    })
    this.retired = new Promise((resolve) => (this.resolveRetired = resolve))
  }

  /** busy while reserved for a session or serving one. */
  get state(): 'idle' | 'busy' {
    return this.session === undefined && this.hold.holder === undefined ? 'idle' : 'busy'
  }

  /** Subscribes and announces itself; from then on it answers coordinators. */
  start(): void {
    const { transport } = this.options
    this.unsubscribes.push(
      transport.subscribe(this.subjects.discover, (payload, subject) => {
        if (this.gate.open(payload, subject, ['discover']) !== undefined) this.announce()
      }),
      transport.subscribe(this.subjects.agent(this.agentId), (payload, subject) => {
        const command = this.gate.open(payload, subject, COMMAND_KINDS)
        if (command !== undefined) this.onCommand(command)
      }),
    )
    this.announce()
  }

  /** Stops serving: a session in progress stops its load and reports briefly; then every subscription ends. */
  async stop(reason = 'the agent is stopping'): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.hold.clear()
    this.session?.stop(reason)
    await this.sessionDone
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe()
  }

  private onCommand(command: Command): void {
    if (command.kind === 'id-conflict') return this.onIdConflict(command)
    const current = this.session
    if (current !== undefined && command.sessionId === current.sessionId) {
      if (command.senderId !== current.coordinatorId) {
        this.warnings.warn('foreign-coordinator', `agent ${this.agentId} ignored "${command.kind}" for session ${command.sessionId} from ${command.senderId}: the session belongs to ${current.coordinatorId}`)
        return
      }
      // A reserve or release that overtook nothing: the session already runs.
      if (command.kind === 'reserve' || command.kind === 'release') return
      current.handle(command)
      return
    }
    switch (command.kind) {
      case 'reserve':
        return this.onReserve(command)
      case 'release':
        if (this.hold.holder?.coordinatorId === command.senderId && this.hold.clear(command.sessionId) && !this.stopped) this.announce()
        return
      case 'assign':
        return this.onAssign(command)
      case 'cancel':
        // A coordinator that gave up before assigning frees its reservation the same way.
        if (this.hold.holder?.coordinatorId === command.senderId && this.hold.clear(command.sessionId) && !this.stopped) this.announce()
        return
      default:
        // A late message of a session already over (e.g. a repeated final-ack).
        this.log.debug(`agent ${this.agentId} ignored "${command.kind}" for session ${command.sessionId}: not its current session`)
    }
  }

  private onReserve(reserve: MessageOf<'reserve'>): void {
    if (!this.isForMe(reserve)) return
    const refusal = this.refusal(reserve.sessionId)
    if (refusal !== undefined) {
      this.reply(reserve.sessionId, 'busy', { sessionId: reserve.sessionId, attempt: reserve.attempt, ...refusal })
      return
    }
    this.hold.take(this.holderOf(reserve), reserve.leaseMs)
    this.reply(reserve.sessionId, 'reserved', { sessionId: reserve.sessionId, attempt: reserve.attempt })
  }

  private onAssign(assign: MessageOf<'assign'>): void {
    if (!this.isForMe(assign)) return
    const refusal = this.refusal(assign.sessionId)
    if (refusal !== undefined) {
      this.reply(assign.sessionId, 'busy', { sessionId: assign.sessionId, attempt: null, ...refusal })
      return
    }
    this.hold.clear()
    this.begin(assign)
  }

  /** Why this agent cannot be reserved or assigned for `sessionId` now, or undefined when it can. */
  private refusal(sessionId: string): { holder: Holder | null; message: string } | undefined {
    if (this.stopped || this.retiring !== undefined) return { holder: null, message: `agent ${this.agentId} is shutting down` }
    if (this.session !== undefined) {
      const holder = this.session.holder
      return { holder, message: `agent ${this.agentId} is serving session ${holder.sessionId} of coordinator ${holder.coordinatorId} (host ${holder.host}, pid ${holder.pid})` }
    }
    const held = this.hold.holder
    if (held !== undefined && held.sessionId !== sessionId) {
      return { holder: held, message: `agent ${this.agentId} is reserved for session ${held.sessionId} of coordinator ${held.coordinatorId} (host ${held.host}, pid ${held.pid})` }
    }
    return undefined
  }

  /** reserve and assign name the process they are for; another process with this agent id ignores them. */
  private isForMe(command: MessageOf<'reserve' | 'assign'>): boolean {
    if (command.agentId !== this.agentId) {
      this.warnings.warn('misaddressed', `agent ${this.agentId} ignored "${command.kind}" addressed to ${command.agentId}`)
      return false
    }
    if (command.agentInstanceId === this.instanceId) return true
    this.warnings.warn(
      `other-instance:${command.agentInstanceId}`,
      `agent ${this.agentId} (pid ${this.pid}) ignored "${command.kind}" for another process with the same agent id (instance ${command.agentInstanceId}): ` +
        'give every agent process its own --agent-id',
    )
    return false
  }

  private holderOf(command: MessageOf<'reserve' | 'assign'>): Holder {
    return { coordinatorId: command.senderId, host: command.coordinatorHost, pid: command.coordinatorPid, sessionId: command.sessionId, state: 'reserved' }
  }

  private onIdConflict(conflict: MessageOf<'id-conflict'>): void {
    if (conflict.agentId !== this.agentId || conflict.keepInstanceId === this.instanceId || this.retiring !== undefined) return
    if (!conflict.instances.some((instance) => instance.instanceId === this.instanceId)) return
    const keeper = conflict.instances.find((instance) => instance.instanceId === conflict.keepInstanceId)
    if (keeper === undefined) return
    const message =
      `another agent process announces the agent id ${this.agentId}: ${describeAgent({ agentId: this.agentId, host: keeper.host, pid: keeper.pid })}, ` +
      `started ${new Date(keeper.startedAtEpochMs).toISOString()}; coordinator ${conflict.senderId} keeps that one, so this process ` +
      `(host ${this.host}, pid ${this.pid}) leaves the cluster${this.session === undefined ? '' : ' after its current session'}. Give every agent process its own --agent-id`
    this.retiring = { reason: 'duplicate-id', message, keeper }
    this.hold.clear()
    this.log.warn(message)
    const retirement = this.retiring
    void (async () => {
      await this.sessionDone
      await this.stop('another process keeps its agent id')
      this.options.onEvent?.({ type: 'retired', retirement })
      this.resolveRetired?.(retirement)
    })()
  }

  private begin(assign: MessageOf<'assign'>): void {
    const session = new AgentSession(
      {
        agentId: this.agentId,
        transport: this.options.transport,
        subjects: this.subjects,
        encoder: this.encoder,
        log: this.log,
        registered: this.registered,
        ...(this.options.savedStatsFolder === undefined ? {} : { savedStatsFolder: this.options.savedStatsFolder }),
      },
      assign,
    )
    this.session = session
    this.options.onEvent?.({
      type: 'session-started',
      sessionId: session.sessionId,
      coordinatorId: session.coordinatorId,
      scenarios: assign.scenarios.map((entry) => entry.name),
      partition: assign.partition,
    })
    this.sessionDone = session.run().then(
      (outcome) => this.end(session, outcome),
      (error: unknown) => this.end(session, { kind: 'failed', message: errorMessage(error) }),
    )
  }

  private end(session: AgentSession, outcome: SessionOutcome): void {
    this.session = undefined
    if (outcome.kind !== 'refused') this.sessionsServed++
    this.options.onEvent?.({ type: 'session-ended', sessionId: session.sessionId, outcome })
    // Idle again: tell waiting coordinators right away rather than at their next discover.
    if (!this.stopped && this.retiring === undefined) this.announce()
  }

  private announce(): void {
    this.publish(this.subjects.announce, 'announce', {
      host: this.host,
      pid: this.pid,
      scenarios: [...this.registered.keys()],
      state: this.state,
      sessionId: this.session?.sessionId ?? this.hold.holder?.sessionId ?? null,
      holder: this.session?.holder ?? this.hold.holder ?? null,
      startedAtEpochMs: this.startedAtEpochMs,
      fingerprints: this.fingerprints,
    })
  }

  private reply<K extends MessageKind>(sessionId: string, kind: K, body: MessageBody<K>): void {
    this.publish(this.subjects.session(sessionId), kind, body)
  }

  private publish<K extends MessageKind>(subject: string, kind: K, body: MessageBody<K>): void {
    try {
      this.options.transport.publish(subject, this.encoder.encode(kind, body))
    } catch (error) {
      this.warnings.warn(`publish:${kind}`, `agent ${this.agentId} could not send "${kind}" on ${this.options.transport.description}: ${errorMessage(error)}`)
    }
  }
}
