/**
 * The agent state machine: idle (announcing itself, answering discover) or
 * busy with one session at a time. It serves session after session until
 * stop(). An assignment that arrives while busy is refused with "busy", so
 * two coordinators racing for the same agent both get a clear answer.
 */
import { hostname } from 'node:os'
import type { Partition } from '../../engine/context.js'
import type { Scenario } from '../../engine/scenario.js'
import { errorMessage } from '../../engine/outcome.js'
import { newNodeId } from '../ids.js'
import { silentClusterLog, WarnOnce, type ClusterLog } from '../log.js'
import { MessageEncoder, MessageGate } from '../protocol/codec.js'
import type { MessageBody, MessageKind } from '../protocol/messages.js'
import { clusterSubjects, type ClusterSubjects } from '../protocol/subjects.js'
import type { ClusterTransport } from '../transport/transport.js'
import { AgentSession, type SessionCommand, type SessionOutcome } from './agent-session.js'

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

const COMMAND_KINDS = ['assign', 'start', 'stop', 'cancel', 'final-ack', 'heartbeat'] as const

export class ClusterAgent {
  readonly agentId: string
  readonly host = hostname()
  readonly pid = process.pid
  private readonly subjects: ClusterSubjects
  private readonly encoder: MessageEncoder
  private readonly gate: MessageGate
  private readonly log: ClusterLog
  private readonly warnings: WarnOnce
  private readonly registered: ReadonlyMap<string, Scenario>
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
    this.encoder = new MessageEncoder(namespace, this.agentId)
    this.gate = new MessageGate(namespace, this.log, `agent ${this.agentId}`)
    this.registered = new Map(options.scenarios.map((scenario) => [scenario.name, scenario]))
  }

  get state(): 'idle' | 'busy' {
    return this.session === undefined ? 'idle' : 'busy'
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
    this.session?.stop(reason)
    await this.sessionDone
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe()
  }

  private onCommand(command: SessionCommand): void {
    const current = this.session
    if (current !== undefined && command.sessionId === current.sessionId) {
      if (command.senderId !== current.coordinatorId) {
        this.warnings.warn('foreign-coordinator', `agent ${this.agentId} ignored "${command.kind}" for session ${command.sessionId} from ${command.senderId}: the session belongs to ${current.coordinatorId}`)
        return
      }
      current.handle(command)
      return
    }
    if (command.kind !== 'assign') {
      // A late message of a session already over (e.g. a repeated final-ack).
      this.log.debug(`agent ${this.agentId} ignored "${command.kind}" for session ${command.sessionId}: not its current session`)
      return
    }
    if (command.agentId !== this.agentId) {
      this.warnings.warn('misaddressed', `agent ${this.agentId} ignored an assignment addressed to ${command.agentId}`)
      return
    }
    if (current !== undefined || this.stopped) {
      const why = this.stopped ? 'it is shutting down' : `it is serving session ${current?.sessionId} of coordinator ${current?.coordinatorId}`
      this.reply(command.sessionId, 'error', { sessionId: command.sessionId, code: 'busy', message: `agent ${this.agentId} is busy: ${why}`, scenarios: [] })
      return
    }
    this.begin(command)
  }

  private begin(assign: Extract<SessionCommand, { kind: 'assign' }>): void {
    const session = new AgentSession(
      { agentId: this.agentId, transport: this.options.transport, subjects: this.subjects, encoder: this.encoder, log: this.log, registered: this.registered },
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
    if (!this.stopped) this.announce()
  }

  private announce(): void {
    this.publish(this.subjects.announce, 'announce', {
      host: this.host,
      pid: this.pid,
      scenarios: [...this.registered.keys()],
      state: this.state,
      sessionId: this.session?.sessionId ?? null,
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
