/**
 * The conductor of one coordinator session. What the session computes from
 * its options alone is its plan (plan.ts); the work is done by small pieces,
 * each with one job, and this class only moves the session from phase to
 * phase and routes messages to them:
 *
 *   discovery     agent-directory.ts  who is out there (discover/announce), two processes under one id
 *   code check    code-guard.ts       agents whose scenario code differs from the session's (fingerprints)
 *   reservation   reservation.ts      every agent the session needs, all or nothing, with a lease
 *   start/clock   start-clock.ts      clock offsets and the one start time, in each agent's clock
 *   liveness      session-watch.ts    silent agents, stragglers, restarts, the coordinator's own broker link
 *   collection    collection.ts       interims (per-interval deltas) and live progress, final reports and their acknowledgement
 *
 * Phases: reserving → assigning (assign sent, re-sent until answered) →
 * initializing (every node runs its inits) → running (one start for every
 * node) → collecting (waiting for the others' final reports) → done.
 *
 * Before the start a failure cancels the session on every node and rejects
 * with a ClusterError (a set that breaks while being assigned is reserved
 * anew instead). After it, a lost agent stops every other node and the run
 * ends incomplete with what everyone measured; a broker away past
 * ClusterCommandTimeoutMs fails it as broker-unreachable, with that result.
 */
import { hostname } from 'node:os'
import type { NodeRunOutput } from '../../engine/node-run.js'
import { errorMessage } from '../../engine/outcome.js'
import { createRunResult, type SerializedRunResult } from '../../result/result.js'
import { ClusterError, describeAgent, type AgentSummary } from '../errors.js'
import { newNodeId, newSessionId } from '../ids.js'
import { silentClusterLog, type ClusterLog } from '../log.js'
import { MessageEncoder, MessageGate } from '../protocol/codec.js'
import type { CoordinatorPhase, MessageOf } from '../protocol/messages.js'
import { clusterSubjects } from '../protocol/subjects.js'
import { AgentDirectory, type HeardAgent } from './agent-directory.js'
import { AgentSlot } from './agent-slot.js'
import { CodeGuard } from './code-guard.js'
import { assembleClusterResult } from './assemble-result.js'
import { SessionCollection } from './collection.js'
import { AgentIdentities } from './identity.js'
import { CoordinatorLink } from './link.js'
import { LateAgents } from './late-agents.js'
import { ALONE, LocalNode } from './local-node.js'
import { Assignment } from './assignment.js'
import { planSession, type SessionPlan } from './plan.js'
import { Reservation } from './reservation.js'
import { agentErrorBeforeStart, agentsMissingError, brokerLoss, initTimeoutError, outageNote } from './session-errors.js'
import { completeTimings, type CoordinatorRun, type CoordinatorSessionOptions, type SessionTimings } from './session-types.js'
import { SessionWatch, type BrokerLimit } from './session-watch.js'
import { StartClock } from './start-clock.js'

export type { CoordinatorRun, CoordinatorSessionOptions, SessionTimings } from './session-types.js'

export async function runCoordinatorSession(options: CoordinatorSessionOptions): Promise<CoordinatorRun> {
  return new CoordinatorSession(options).run()
}

const SESSION_KINDS = ['reserved', 'busy', 'accepted', 'ready', 'heartbeat', 'interim', 'final', 'error'] as const
type AgentMessage = MessageOf<'accepted' | 'ready' | 'heartbeat' | 'interim' | 'final' | 'error'>
type Phase = 'reserving' | CoordinatorPhase | 'done'

class CoordinatorSession {
  private readonly sessionId = newSessionId()
  private readonly coordinatorId: string
  private readonly plan: SessionPlan
  private readonly log: ClusterLog
  private readonly link: CoordinatorLink
  private readonly gate: MessageGate
  private readonly directory: AgentDirectory
  private readonly ownsDirectory: boolean
  private readonly reservation: Reservation
  private readonly slots: AgentSlot[]
  private readonly clock: StartClock
  private readonly assignment: Assignment
  private readonly watch: SessionWatch
  private readonly collection: SessionCollection
  private readonly local: LocalNode
  private readonly lateAgents: LateAgents
  private readonly codeGuard: CodeGuard

  private phase: Phase = 'reserving'
  private readonly beganMs = performance.now()
  private readonly beganEpochMs = Date.now()
  private readonly timings: { -readonly [K in keyof SessionTimings]?: number } = {}
  private readonly warnings: string[] = []
  private stopReason: string | undefined
  private readonly timers: NodeJS.Timeout[] = []
  private readonly cleanups: (() => void)[] = []
  private settle: { resolve: () => void; reject: (error: unknown) => void } | undefined

  constructor(private readonly options: CoordinatorSessionOptions) {
    const { config, transport } = options
    this.plan = planSession(options)
    this.log = options.log ?? silentClusterLog
    this.coordinatorId = options.coordinatorId ?? newNodeId('coordinator')
    const namespace = { clusterId: config.clusterId, agentGroup: config.agentGroup }
    const subjects = clusterSubjects(config.clusterId, config.agentGroup)
    const encoder = new MessageEncoder(namespace, this.coordinatorId)
    this.link = new CoordinatorLink(this.coordinatorId, transport, subjects, encoder, this.log)
    this.gate = new MessageGate(namespace, this.log, `coordinator ${this.coordinatorId}`)
    this.ownsDirectory = options.directory === undefined
    this.directory = options.directory ?? new AgentDirectory(transport, subjects, encoder, this.gate, this.log)
    this.slots = this.plan.slots.map((slot) => new AgentSlot(slot))
    this.codeGuard = new CodeGuard(options.codeCheck, this.plan.slots, { onMismatch: (error) => this.fail(error), onWarning: (warning) => this.note(warning) })
    this.reservation = new Reservation({
      sessionId: this.sessionId,
      needed: this.slots.length,
      timing: this.plan.reservation,
      directory: this.directory,
      link: this.link,
      onComplete: (agents) => this.onReservationComplete(agents),
      ...(options.random === undefined ? {} : { random: options.random }),
    })
    this.clock = new StartClock(this.link, this.sessionId, this.plan.heartbeatIntervalMs)
    this.assignment = new Assignment(this.link, this.plan, this.sessionId, this.slots, this.clock)
    this.watch = new SessionWatch(this.slots, this.plan, {
      isOver: () => this.phase === 'done',
      onSilent: (slot, silentMs) => this.onSilent(slot, silentMs),
      onStraggler: (slot) => this.loseAgent(slot, `had not sent its final stats ${this.plan.clusterCommandTimeoutMs} ms (ClusterCommandTimeoutMs) after its load should have ended`),
      onRestarted: (slot, newcomer) =>
        this.loseAgent(slot, `left the session: another process (host ${newcomer.host}, pid ${newcomer.pid}) announced its agent id and this one has been silent since (it restarted)`),
      onBrokerGone: (outageMs, limit) => this.failBrokerUnreachable(outageMs, limit),
      onReconnected: (outageMs) => this.onReconnected(outageMs),
    })
    this.collection = new SessionCollection(this.link, this.sessionId, this.slots, this.plan.heartbeatIntervalMs)
    this.local = new LocalNode(this.plan.localScenarios)
    this.lateAgents = new LateAgents(this.directory, this.slots, this.beganMs, (note) => this.note(note))
  }

  async run(): Promise<CoordinatorRun> {
    const settled = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }))
    const { transport } = this.options
    this.cleanups.push(transport.subscribe(this.link.subjects.session(this.sessionId), (payload, subject) => this.onSessionPayload(payload, subject)))
    this.cleanups.push(
      new AgentIdentities(this.link, this.directory, this.slots, this.sessionId, this.watch, {
        onLeft: (slot, reason) => this.loseAgent(slot, reason),
        onNote: (note) => this.note(note),
      }).listen(),
      this.lateAgents.listen(),
      this.directory.listen({ onAnnounce: (agent) => (this.phase === 'reserving' || this.phase === 'assigning' ? this.codeGuard.onAnnounce(agent) : undefined) }),
    )
    if (this.ownsDirectory) this.directory.start(this.plan.heartbeatIntervalMs)
    this.watch.start(transport)
    this.cleanups.push(
      () => this.reservation.close(),
      () => (this.ownsDirectory ? this.directory.close() : undefined),
      () => this.watch.stop(),
      () => this.collection.stop(),
    )
    this.watchStopSignal()
    this.timers.push(
      setInterval(() => {
        if (this.phase !== 'done') this.assignment.tick(this.phase === 'reserving' ? 'assigning' : this.phase, performance.now())
      }, this.plan.heartbeatIntervalMs),
    )
    this.timers.push(setTimeout(() => this.onAssignDeadline(), this.plan.clusterCommandTimeoutMs))
    this.reservation.start()
    const localRun = this.local.run(this.plan, {
      onReady: () => this.advance(),
      onFinished: () => this.advance(),
      onInterimStats: (stats) => (this.collection.localLatest = stats),
      onFailed: (error) => this.fail(error),
    })
    let failure: { readonly error: unknown } | undefined
    try {
      await settled
    } catch (error) {
      failure = { error }
    } finally {
      for (const timer of this.timers) clearTimeout(timer)
      for (const cleanup of this.cleanups.splice(0)) cleanup()
    }
    // On failure too: the coordinator's own cleans run before the failure is reported.
    const coordinatorOutput = await localRun
    if (failure !== undefined) throw this.withMeasured(failure.error, coordinatorOutput)
    return { sessionId: this.sessionId, result: this.assemble(coordinatorOutput), timings: this.finalTimings(), reservationAttempts: this.reservation.attempts }
  }

  private assemble(coordinatorOutput: NodeRunOutput | undefined): SerializedRunResult {
    return assembleClusterResult({
      coordinator: { nodeId: this.coordinatorId, nodeType: 'Coordinator', host: hostname(), pid: process.pid, scenarios: this.plan.placement.coordinator, partition: ALONE },
      coordinatorOutput,
      slots: this.slots,
      startAtEpochMs: this.clock.startAtEpochMs ?? this.beganEpochMs,
      seriesIntervalMs: this.plan.seriesIntervalMs,
      warnings: this.warnings,
    })
  }

  /** A broker failure after the start still hands over what was measured: the error carries the partial result. */
  private withMeasured(error: unknown, coordinatorOutput: NodeRunOutput | undefined): unknown {
    if (!(error instanceof ClusterError) || error.code !== 'broker-unreachable' || this.clock.startAtEpochMs === undefined) return error
    const result = createRunResult(this.assemble(coordinatorOutput))
    return new ClusterError(error.code, error.message, error.agents, { result })
  }

  // ---- messages ----

  private onSessionPayload(payload: Uint8Array, subject: string): void {
    const message = this.gate.open(payload, subject, SESSION_KINDS)
    if (message === undefined || this.phase === 'done') return
    if (message.sessionId !== this.sessionId) {
      this.link.warnOnce('wrong-session', `coordinator ${this.coordinatorId} ignored "${message.kind}" naming session ${message.sessionId} on the subject of session ${this.sessionId}`)
      return
    }
    if (message.kind === 'reserved') return this.reservation.onReserved(message)
    if (message.kind === 'busy') return this.onBusy(message)
    const slot = this.slots.find((candidate) => candidate.holds(message.senderId, message.senderInstanceId))
    if (slot === undefined) {
      this.log.debug(`coordinator ${this.coordinatorId} ignored "${message.kind}" from ${message.senderId}: not an agent process of this session`)
      return
    }
    slot.lastHeardMs = performance.now()
    this.directory.noteHeard(message.senderId, message.senderInstanceId)
    this.onAgentMessage(slot, message, payload.byteLength)
    this.advance()
  }

  private onAgentMessage(slot: AgentSlot, message: AgentMessage, wireBytes: number): void {
    switch (message.kind) {
      case 'accepted':
        return this.assignment.onAccepted(slot, message.exchange, message.sentAtEpochMs)
      case 'ready':
        return this.assignment.onReady(slot, message.initMs)
      case 'heartbeat':
        return this.onHeartbeat(slot, message.phase)
      case 'interim':
        return this.collection.onInterim(slot, message, wireBytes)
      case 'final': {
        const outcome = this.collection.onFinalPart(slot, message)
        if (outcome?.kind === 'unusable') this.loseAgent(slot, outcome.reason)
        return
      }
      case 'error':
        if (this.phase === 'running' || this.phase === 'collecting') this.loseAgent(slot, `failed during the run (${message.code}: ${message.message})`)
        else this.fail(agentErrorBeforeStart(slot.agent as AgentSummary, message.code, message.message))
        return
    }
  }

  /** The phase a heartbeat reports catches up a lost accepted or ready, and re-sends a lost start or stop. */
  private onHeartbeat(slot: AgentSlot, phase: MessageOf<'heartbeat'>['phase']): void {
    if (phase !== 'initializing' && phase !== 'ready' && phase !== 'running' && phase !== 'reporting') return
    const nowMs = performance.now()
    this.assignment.onPhase(slot, phase)
    if (phase === 'ready') this.clock.onStillReady(slot, nowMs)
    if (phase === 'running') {
      this.clock.onRunning(slot, Date.now())
      this.collection.onStillRunning(slot, nowMs)
    }
  }

  /** A refused reserve is the reservation's business; a refused assign breaks the set being assigned. */
  private onBusy(message: MessageOf<'busy'>): void {
    this.reservation.onBusy(message)
    if (message.attempt !== null || this.phase !== 'assigning') return
    const slot = this.slots.find((candidate) => candidate.state === 'assigned' && candidate.holds(message.senderId, message.senderInstanceId))
    if (slot !== undefined) this.reserveAgain(`agent ${message.senderId} refused its assignment (${message.message})`)
  }

  // ---- transitions ----

  private onReservationComplete(agents: readonly HeardAgent[]): void {
    if (this.phase !== 'reserving') return
    if (!this.codeGuard.onReserved(agents)) return
    const nowMs = performance.now()
    this.assignment.fill(agents, nowMs)
    this.timings.agentsFoundMs ??= nowMs - this.beganMs
    this.phase = 'assigning'
    this.advance()
  }

  /** The set being assigned broke: cancel what was assigned, and reserve a whole new set after a back-off. */
  private reserveAgain(reason: string): void {
    this.log.info(`${reason}; cancelling this set of agents and reserving a new one`)
    this.assignment.withdraw(reason)
    this.phase = 'reserving'
    this.reservation.restart()
  }

  private advance(): void {
    if (this.phase === 'reserving' && this.slots.length === 0) this.phase = 'assigning'
    if (this.phase === 'assigning' && this.assignment.everyoneAccepted) {
      this.phase = 'initializing'
      this.timings.agentsAcceptedMs = performance.now() - this.beganMs
      this.lateAgents.close(performance.now())
      if (this.ownsDirectory) this.directory.stopDiscovering()
      this.timers.push(setTimeout(() => this.onReadyDeadline(), this.plan.clusterCommandTimeoutMs))
    }
    if (this.phase === 'initializing' && this.local.ready && this.assignment.everyoneReady) this.startLoad()
    const someoneDone = (this.local.finished && this.local.hasLoad) || this.slots.some((slot) => slot.isDone)
    if (this.phase === 'running' && someoneDone) this.phase = 'collecting'
    if (this.phase === 'collecting' && this.local.finished && this.slots.every((slot) => slot.isDone)) {
      this.phase = 'done'
      this.timings.finishedMs = performance.now() - this.beganMs
      this.settle?.resolve()
    }
  }

  private startLoad(): void {
    const startAt = this.clock.begin(this.slots)
    this.phase = 'running'
    this.timings.nodesReadyMs = performance.now() - this.beganMs
    this.timings.loadStartMs = startAt - this.beganEpochMs
    this.local.gate.open(startAt)
    this.watch.loadStarted = true
    this.watch.loadDeadlineMs = performance.now() + (startAt - Date.now()) + this.plan.longestAgentLoadMs + this.plan.clusterCommandTimeoutMs
    if (this.options.onProgress !== undefined) this.collection.startProgress(this.options.onProgress, this.plan.interimIntervalMs, startAt)
  }

  private onSilent(slot: AgentSlot, silentMs: number): void {
    const lostMs = this.plan.agentLostTimeoutMs
    if (slot.state !== 'assigned') {
      this.loseAgent(slot, `stopped answering (no heartbeat for ${Math.round(silentMs)} ms, AgentLostTimeoutMs is ${lostMs})`)
      return
    }
    const agent = slot.agent as AgentSummary
    this.log.warn(`agent ${describeAgent(agent)} did not answer its assignment within ${lostMs} ms; reserving other agents`)
    this.reservation.exclude(agent.agentId)
    this.reserveAgain(`agent ${agent.agentId} did not answer its assignment`)
  }

  private loseAgent(slot: AgentSlot, reason: string): void {
    const agent = slot.agent as AgentSummary
    if (this.phase === 'reserving' || this.phase === 'assigning' || this.phase === 'initializing') {
      this.fail(new ClusterError('agent-lost', `Agent ${describeAgent(agent)} ${reason} before load started`, [agent]))
      return
    }
    const sinceStart = ` ${this.secondsSinceStart(Date.now())} s after load started`
    slot.state = 'lost'
    slot.lostReason = `${reason}${sinceStart}`
    this.log.warn(`agent ${describeAgent(agent)} ${slot.lostReason}: the result will be incomplete`)
    // The result is incomplete whatever happens next, and a test waiting for the planned end would
    // only put more load on the target for a verdict already known: stop every other node now.
    const othersRunning = this.slots.some((other) => other.state === 'started') || (!this.local.finished && this.local.hasLoad)
    if (othersRunning && this.stopReason === undefined) {
      this.warnings.push(
        `the run was stopped${sinceStart}, before its planned end, because agent ${agent.agentId} was lost: ` +
          'every other node stopped its load (graceful stop) and reported what it measured',
      )
      this.onStop(`agent ${agent.agentId} was lost`)
    }
    this.advance()
  }

  private onReconnected(outageMs: number): void {
    const started = this.clock.startAtEpochMs !== undefined
    const note = outageNote(this.coordinatorId, this.options.transport.description, outageMs, started ? this.secondsSinceStart(Date.now() - outageMs) : undefined)
    this.log.info(note)
    if (started && this.phase !== 'done') this.warnings.push(note)
  }

  /** The coordinator's connection stayed down past its limit: give up, keeping what was measured; the agents are not blamed. */
  private failBrokerUnreachable(outageMs: number, limit: BrokerLimit = 'ClusterCommandTimeoutMs'): void {
    const started = this.clock.startAtEpochMs !== undefined
    const facts = { coordinatorId: this.coordinatorId, transportDescription: this.options.transport.description, outageMs, plan: this.plan, limit }
    this.fail(brokerLoss(facts, this.slots, started ? this.secondsSinceStart(Date.now()) : undefined, this.secondsSinceStart(Date.now() - outageMs)))
  }

  /** The coordinator itself is cut off from the broker: that, not the agents, is why a deadline passed. */
  private failIfCutOff(): boolean {
    if (this.watch.disconnectedAtMs === undefined) return false
    this.failBrokerUnreachable(performance.now() - this.watch.disconnectedAtMs)
    return true
  }

  private fail(error: unknown): void {
    if (this.phase === 'done') return
    this.phase = 'done'
    const reason = errorMessage(error)
    for (const slot of this.slots) if (slot.isActive && slot.agent !== undefined) this.link.toAgent(slot.agent.agentId, 'cancel', { sessionId: this.sessionId, reason })
    this.reservation.close()
    this.local.stop(error)
    this.settle?.reject(error)
  }

  private onAssignDeadline(): void {
    if (this.phase !== 'reserving' && this.phase !== 'assigning') return
    if (this.failIfCutOff()) return
    const { config, transport } = this.options
    const facts = { coordinatorId: this.coordinatorId, config, transportDescription: transport.description, directory: this.directory, slots: this.slots }
    this.fail(agentsMissingError({ ...facts, reservation: this.reservation }))
  }

  private onReadyDeadline(): void {
    if (this.phase !== 'initializing') return
    if (this.failIfCutOff()) return
    const waiting = this.slots.filter((slot) => slot.state !== 'ready').map((slot) => slot.agent as AgentSummary)
    this.fail(initTimeoutError(this.plan.clusterCommandTimeoutMs, waiting, this.local.ready ? [] : this.plan.placement.coordinator))
  }

  private watchStopSignal(): void {
    const signal = this.options.stopSignal
    if (signal === undefined) return
    const onStop = (): void => this.onStop(errorMessage(signal.reason ?? 'run stopped'))
    if (signal.aborted) return queueMicrotask(onStop)
    signal.addEventListener('abort', onStop, { once: true })
    this.cleanups.push(() => signal.removeEventListener('abort', onStop))
  }

  private onStop(reason: string): void {
    const phase: Phase = this.phase
    if (phase === 'done' || this.stopReason !== undefined) return
    if (phase === 'reserving' || phase === 'assigning' || phase === 'initializing') {
      this.fail(new ClusterError('stopped', `The run was stopped before load started: ${reason}`))
      return
    }
    this.stopReason = reason
    this.collection.stopAll(reason)
    this.local.stop(new Error(reason))
    // Nodes now need only their graceful stop; bound the wait for their finals accordingly.
    this.watch.loadDeadlineMs = Math.min(this.watch.loadDeadlineMs, performance.now() + this.plan.gracefulStopMs + this.plan.clusterCommandTimeoutMs)
  }

  /** A line in the log and a warning on the result. */
  private note(note: string): void {
    this.log.warn(note)
    this.warnings.push(note)
  }

  private secondsSinceStart(epochMs: number): string {
    return ((epochMs - (this.clock.startAtEpochMs ?? this.beganEpochMs)) / 1000).toFixed(1)
  }

  private finalTimings(): SessionTimings {
    return completeTimings(this.timings, performance.now() - this.beganMs)
  }
}
