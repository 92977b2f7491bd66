/**
 * The coordinator state machine for one session:
 *
 *   assigning     discover agents; give each free slot to an idle agent (assign, re-sent until answered)
 *   initializing  every agent accepted; wait until every node (agents and this coordinator) has run its inits
 *   running       one start time sent to every node; heartbeats both ways, interim stats, progress
 *   collecting    some nodes are done; wait for the others' final reports (acknowledged one by one)
 *
 * Before the start, any failure (an agent refusing, failing its init, going
 * silent; too few agents; the user stopping the run) cancels the session on
 * every node and rejects with a ClusterError. After the start, an agent that
 * goes silent (or fails, or announces itself idle) is "lost": every other
 * node is stopped and the run ends with what the lost one last reported,
 * marked incomplete, instead of hanging or throwing away what others measured.
 *
 * The coordinator's own NATS connection is watched too: while it is down,
 * silence proves nothing about the agents, so nobody is declared lost; when
 * it comes back, every agent gets a fresh AgentLostTimeoutMs to be heard.
 * If it stays down past ClusterCommandTimeoutMs, the run fails with a
 * "broker down or unreachable" error that carries what was measured.
 */
import { hostname } from 'node:os'
import type { Partition } from '../../engine/context.js'
import type { NodeRunOutput } from '../../engine/node-run.js'
import { errorMessage } from '../../engine/outcome.js'
import type { Scenario } from '../../engine/scenario.js'
import { defaultSeriesIntervalMs } from '../../engine/series-collector.js'
import type { LoadspecConfig } from '../../config/index.js'
import { mergeByScenario } from '../../result/merge.js'
import { createRunResult, type NodeInfo, type SerializedRunResult } from '../../result/result.js'
import type { RunProgress } from '../../result/progress.js'
import { selectTargetScenarios } from '../../engine/targeting.js'
import type { SerializedScenarioStats } from '../../stats/types.js'
import { ClusterError, describeAgent, type AgentSummary } from '../errors.js'
import { runGatedNode, StartGate } from '../gated-node-run.js'
import { newNodeId, newSessionId } from '../ids.js'
import { runDeadlineChecks } from '../liveness.js'
import { silentClusterLog, WarnOnce, type ClusterLog } from '../log.js'
import { placeScenarios, type Placement } from '../placement.js'
import { MessageEncoder, MessageGate } from '../protocol/codec.js'
import { parseReportText } from '../protocol/final-report.js'
import type { CoordinatorPhase, MessageBody, MessageKind, MessageOf } from '../protocol/messages.js'
import { clusterSubjects, type ClusterSubjects } from '../protocol/subjects.js'
import type { ClusterTransport, TransportStatus } from '../transport/transport.js'
import { AgentDirectory, type HeardAgent } from './agent-directory.js'
import { AgentSlot } from './agent-slot.js'
import { assembleClusterResult } from './assemble-result.js'
import { expectedLoadMs, planLengthMs, wireSettings } from './load-shape.js'
import { agentsMissingError, initTimeoutError } from './session-errors.js'

export interface CoordinatorSessionOptions {
  /** The scenarios registered on the coordinator: their names and load shapes are what agents get. */
  readonly scenarios: readonly Scenario[]
  readonly config: LoadspecConfig
  readonly transport: ClusterTransport
  readonly log?: ClusterLog
  /** Aborting stops the load on every node (graceful); before the start it cancels the session. */
  readonly stopSignal?: AbortSignal
  /** Merged cumulative stats of every node, about every interimIntervalMs while load runs. */
  readonly onProgress?: (progress: RunProgress) => void
  readonly coordinatorId?: string
  /** How often nodes send interim stats and progress is reported (default 1000 ms). */
  readonly interimIntervalMs?: number
}

/** Milestones of a session, in ms since it began (for bench/ and diagnostics). */
export interface SessionTimings {
  /** Every slot had an agent (first time). */
  readonly agentsFoundMs: number
  /** Every agent accepted its assignment. */
  readonly agentsAcceptedMs: number
  /** Every node had finished its inits. */
  readonly nodesReadyMs: number
  /** The common start time: load begins on every node. */
  readonly loadStartMs: number
  readonly finishedMs: number
}

export interface CoordinatorRun {
  readonly sessionId: string
  readonly result: SerializedRunResult
  readonly timings: SessionTimings
}

export async function runCoordinatorSession(options: CoordinatorSessionOptions): Promise<CoordinatorRun> {
  return new CoordinatorSession(options).run()
}

/** Start time = now + this at least: time for the start command to reach every agent. */
const MIN_START_LEAD_MS = 20
const DEFAULT_INTERIM_INTERVAL_MS = 1000
const ALONE: Partition = { number: 0, count: 1 }
const SESSION_KINDS = ['accepted', 'ready', 'heartbeat', 'interim', 'final', 'error'] as const
type SessionMessage = MessageOf<(typeof SESSION_KINDS)[number]>
type Phase = CoordinatorPhase | 'done'

class CoordinatorSession {
  private readonly sessionId = newSessionId()
  private readonly coordinatorId: string
  private readonly config: LoadspecConfig
  private readonly transport: ClusterTransport
  private readonly log: ClusterLog
  private readonly warnOnce: WarnOnce
  private readonly subjects: ClusterSubjects
  private readonly encoder: MessageEncoder
  private readonly gate: MessageGate
  private readonly directory: AgentDirectory
  private readonly placement: Placement
  private readonly settingsByName: ReadonlyMap<string, Scenario>
  private readonly localScenarios: readonly Scenario[]
  private readonly slots: AgentSlot[]
  private readonly seriesIntervalMs: number
  private readonly interimIntervalMs: number
  /** Per scenario: warm-up + plan + graceful stop, Infinity for iteration-bound plans. */
  private readonly expectedLoadMs: ReadonlyMap<string, number>

  private phase: Phase = 'assigning'
  private readonly beganMs = performance.now()
  private readonly beganEpochMs = Date.now()
  private readonly timings: { -readonly [K in keyof SessionTimings]?: number } = {}
  private readonly warnings: string[] = []
  /** Agents that never answered an assign: not offered a slot again in this session. */
  private readonly unresponsive = new Set<string>()
  /** Agents that refused as busy, with the agent-clock time of the refusal: usable again after a newer idle announce. */
  private readonly busyAt = new Map<string, number>()
  private readonly local = {
    gate: new StartGate(),
    stop: new AbortController(),
    ready: false,
    finished: false,
    latest: undefined as readonly SerializedScenarioStats[] | undefined,
  }
  private startAtEpochMs: number | undefined
  private stopReason: string | undefined
  /** performance.now() when the coordinator's own connection dropped; undefined while connected. */
  private disconnectedAtMs: number | undefined
  private loadDeadlineMs = Infinity
  private readonly timers: NodeJS.Timeout[] = []
  private readonly cleanups: (() => void)[] = []
  private settle: { resolve: () => void; reject: (error: unknown) => void } | undefined

  constructor(private readonly options: CoordinatorSessionOptions) {
    const { config } = options
    this.config = config
    this.transport = options.transport
    this.log = options.log ?? silentClusterLog
    this.warnOnce = new WarnOnce(this.log)
    this.coordinatorId = options.coordinatorId ?? newNodeId('coordinator')
    const namespace = { clusterId: config.clusterId, agentGroup: config.agentGroup }
    this.subjects = clusterSubjects(config.clusterId, config.agentGroup)
    this.encoder = new MessageEncoder(namespace, this.coordinatorId)
    this.gate = new MessageGate(namespace, this.log, `coordinator ${this.coordinatorId}`)
    this.directory = new AgentDirectory(this.transport, this.subjects, this.encoder, this.gate, this.log, (agent) => this.onAnnounce(agent))

    this.placement = placeScenarios({
      scenarios: options.scenarios.map((scenario) => ({ name: scenario.name, weight: scenario.settings.weight })),
      targetScenarios: config.targetScenarios,
      agentTargetScenarios: config.agentTargetScenarios,
      coordinatorTargetScenarios: config.coordinatorTargetScenarios,
      agentsCount: config.agentsCount,
    })
    const targeted = selectTargetScenarios(options.scenarios, config.targetScenarios)
    if (targeted.length === 0) throw new ClusterError('placement', 'There is no scenario to run: register at least one scenario')
    this.settingsByName = new Map(targeted.map((scenario) => [scenario.name, scenario]))
    this.localScenarios = this.placement.coordinator.map((name) => this.settingsByName.get(name) as Scenario)
    this.slots = this.placement.agents.map((placement, index) => new AgentSlot(index, placement))
    this.expectedLoadMs = new Map(targeted.map((scenario) => [scenario.name, expectedLoadMs(scenario)]))
    this.seriesIntervalMs = config.reportingIntervalMs ?? defaultSeriesIntervalMs(Math.max(0, ...targeted.map(planLengthMs)))
    this.interimIntervalMs = options.interimIntervalMs ?? DEFAULT_INTERIM_INTERVAL_MS
  }

  async run(): Promise<CoordinatorRun> {
    const settled = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }))
    this.cleanups.push(this.transport.subscribe(this.subjects.session(this.sessionId), (payload, subject) => this.onSessionPayload(payload, subject)))
    this.cleanups.push(this.transport.onStatus((status) => this.onTransportStatus(status)))
    this.directory.start(this.config.heartbeatIntervalMs)
    this.cleanups.push(() => this.directory.close())
    this.watchStopSignal()
    this.timers.push(setInterval(() => this.tick(), this.config.heartbeatIntervalMs))
    const liveness = runDeadlineChecks(() => this.checkLiveness(), this.config.heartbeatIntervalMs)
    this.cleanups.push(() => liveness.stop())
    this.timers.push(setTimeout(() => this.onAssignDeadline(), this.config.clusterCommandTimeoutMs))
    const localRun = this.runLocal()
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
    return { sessionId: this.sessionId, result: this.assemble(coordinatorOutput), timings: this.finalTimings() }
  }

  private assemble(coordinatorOutput: NodeRunOutput | undefined): SerializedRunResult {
    return assembleClusterResult({
      coordinator: this.coordinatorNode(),
      coordinatorOutput,
      slots: this.slots,
      startAtEpochMs: this.startAtEpochMs ?? this.beganEpochMs,
      seriesIntervalMs: this.seriesIntervalMs,
      warnings: this.warnings,
    })
  }

  /** A broker failure after the start still hands over what was measured: the error carries the partial result. */
  private withMeasured(error: unknown, coordinatorOutput: NodeRunOutput | undefined): unknown {
    if (!(error instanceof ClusterError) || error.code !== 'broker-unreachable' || this.startAtEpochMs === undefined) return error
    const result = createRunResult(this.assemble(coordinatorOutput))
    return new ClusterError(error.code, error.message, error.agents, { result })
  }

  // ---- the coordinator's own scenarios ----

  private async runLocal(): Promise<NodeRunOutput | undefined> {
    try {
      return await runGatedNode(this.localScenarios, this.local.gate, {
        partition: ALONE,
        seriesIntervalMs: this.seriesIntervalMs,
        interimIntervalMs: this.interimIntervalMs,
        stopSignal: this.local.stop.signal,
        onReady: () => {
          this.local.ready = true
          // Deferred: onReady may fire while run() is still setting up.
          queueMicrotask(() => this.advance())
        },
        onInterimStats: (stats) => (this.local.latest = stats),
      })
    } catch (error) {
      // The coordinator's own init failed: the user's error, passed on as it is.
      this.fail(error)
      return undefined
    } finally {
      this.local.finished = true
      queueMicrotask(() => this.advance())
    }
  }

  // ---- messages ----

  private onAnnounce(agent: HeardAgent): void {
    if (this.phase === 'assigning' && agent.state === 'idle') this.fillSlots()
    const slot = this.slots.find((candidate) => candidate.state === 'started' && candidate.agent?.agentId === agent.agentId)
    // Announces and session messages of one agent arrive in the order it sent them, so an idle
    // announce after the start means it left this session (restarted, or gave up on us) without a word.
    if (slot !== undefined && (agent.state === 'idle' || agent.sessionId !== this.sessionId)) {
      const now = agent.state === 'idle' ? 'idle' : `busy with session ${agent.sessionId ?? 'unknown'}`
      this.loseAgent(slot, `left the session: it announced itself ${now} (it restarted, or heard nothing from this coordinator for AgentLostTimeoutMs)`)
    }
  }

  /** Silence while the coordinator itself is cut off from the broker says nothing about the agents. */
  private onTransportStatus(status: TransportStatus): void {
    const now = performance.now()
    if (status === 'disconnected') {
      this.disconnectedAtMs ??= now
      return
    }
    if (status !== 'reconnected' || this.disconnectedAtMs === undefined) return
    const outageMs = now - this.disconnectedAtMs
    this.disconnectedAtMs = undefined
    for (const slot of this.slots) if (slot.isActive) slot.lastHeardMs = Math.max(slot.lastHeardMs, now)
    const when = this.startAtEpochMs === undefined ? 'before load started' : `${this.secondsSinceStart(Date.now() - outageMs)} s after load started`
    const note =
      `coordinator ${this.coordinatorId} was disconnected from ${this.transport.description} for ${(outageMs / 1000).toFixed(1)} s (${when}); ` +
      'it reconnected and the session went on (what was sent meanwhile is re-sent: heartbeats, interim and final stats)'
    this.log.info(note)
    if (this.startAtEpochMs !== undefined && this.phase !== 'done') this.warnings.push(note)
  }

  private secondsSinceStart(epochMs: number): string {
    return ((epochMs - (this.startAtEpochMs ?? this.beganEpochMs)) / 1000).toFixed(1)
  }

  private onSessionPayload(payload: Uint8Array, subject: string): void {
    const message = this.gate.open(payload, subject, SESSION_KINDS)
    if (message === undefined || this.phase === 'done') return
    if (message.sessionId !== this.sessionId) {
      this.warnOnce.warn('wrong-session', `coordinator ${this.coordinatorId} ignored "${message.kind}" naming session ${message.sessionId} on the subject of session ${this.sessionId}`)
      return
    }
    const slot = this.slots.find((candidate) => candidate.agent?.agentId === message.senderId)
    if (slot === undefined) {
      // E.g. a "busy" refusal from an agent whose slot was already given to another.
      this.log.debug(`coordinator ${this.coordinatorId} ignored "${message.kind}" from ${message.senderId}: not an agent of this session`)
      return
    }
    slot.lastHeardMs = performance.now()
    this.onAgentMessage(slot, message)
    this.advance()
  }

  private onAgentMessage(slot: AgentSlot, message: SessionMessage): void {
    switch (message.kind) {
      case 'accepted':
        if (slot.state === 'assigned') slot.accept(message.sentAtEpochMs)
        return
      case 'ready':
        if (slot.state === 'assigned') slot.accept(undefined)
        if (slot.state === 'accepted') {
          slot.state = 'ready'
          slot.initMs = message.initMs
        }
        return
      case 'heartbeat':
        return this.reconcile(slot, message.phase)
      case 'interim':
        if (slot.state === 'started') slot.lastInterim = { stats: message.stats, elapsedMs: message.elapsedMs }
        return
      case 'final':
        return this.onFinalPart(slot, message)
      case 'error':
        return this.onAgentError(slot, message)
    }
  }

  /**
   * Heartbeats carry the agent's phase: when it lags behind what was sent
   * (a lost accepted, ready, start or stop), the state catches up or the
   * command goes out again.
   */
  private reconcile(slot: AgentSlot, phase: MessageOf<'heartbeat'>['phase']): void {
    slot.lastPhase = phase === 'initializing' || phase === 'ready' || phase === 'running' || phase === 'reporting' ? phase : slot.lastPhase
    const now = performance.now()
    const interval = this.config.heartbeatIntervalMs
    if (slot.state === 'assigned' && (phase === 'initializing' || phase === 'ready')) slot.accept(undefined)
    if (slot.state === 'accepted' && phase === 'ready') slot.state = 'ready'
    if (slot.state === 'started' && phase === 'ready' && now - (slot.startSentMs ?? now) >= interval) this.sendStart(slot)
    if (slot.state === 'started' && this.stopReason !== undefined && phase === 'running' && now - (slot.stopSentMs ?? now) >= interval) {
      this.sendStop(slot)
    }
  }

  private onFinalPart(slot: AgentSlot, message: MessageOf<'final'>): void {
    if (slot.state === 'finished' || slot.state === 'lost') {
      // Our acknowledgement was lost (or the agent came back after being given up): release it.
      this.send(slot, 'final-ack', { sessionId: this.sessionId })
      return
    }
    if (slot.state !== 'started') return
    const text = slot.assembly.add(message.part, message.parts, message.data)
    if (text === undefined) return
    try {
      slot.report = parseReportText(text)
      slot.state = 'finished'
    } catch (error) {
      this.loseAgent(slot, `sent final stats that cannot be used (${errorMessage(error)})`)
    }
    this.send(slot, 'final-ack', { sessionId: this.sessionId })
  }

  private onAgentError(slot: AgentSlot, message: MessageOf<'error'>): void {
    const agent = slot.agent as AgentSummary
    if (message.code === 'busy') {
      if (slot.state !== 'assigned') return
      this.log.info(`agent ${agent.agentId} is busy (${message.message}); waiting for another agent`)
      this.busyAt.set(agent.agentId, message.sentAtEpochMs)
      slot.vacate()
      this.fillSlots()
      return
    }
    if (this.phase === 'running' || this.phase === 'collecting') {
      this.loseAgent(slot, `failed during the run (${message.code}: ${message.message})`)
      return
    }
    const refused = message.code === 'unknown-scenario' || message.code === 'invalid-assignment'
    this.fail(
      new ClusterError(
        refused ? 'agent-refused' : 'agent-failed',
        refused
          ? `Agent ${describeAgent(agent)} refused its assignment: ${message.message}`
          : `Agent ${describeAgent(agent)} failed before load started (${message.code}): ${message.message}`,
        [agent],
      ),
    )
  }

  // ---- transitions ----

  private fillSlots(): void {
    const inUse = new Set(this.slots.map((slot) => slot.agent?.agentId))
    for (const slot of this.slots) {
      if (slot.state !== 'empty') continue
      const agent = [...this.directory.agents.values()].find((candidate) => this.isUsable(candidate, inUse))
      if (agent === undefined) return
      inUse.add(agent.agentId)
      slot.fill(agent, performance.now())
      this.sendAssign(slot)
    }
    if (this.timings.agentsFoundMs === undefined && this.slots.every((slot) => slot.state !== 'empty')) {
      this.timings.agentsFoundMs = performance.now() - this.beganMs
    }
  }

  private isUsable(agent: HeardAgent, inUse: ReadonlySet<string | undefined>): boolean {
    if (agent.state !== 'idle' || inUse.has(agent.agentId) || this.unresponsive.has(agent.agentId)) return false
    const busyAt = this.busyAt.get(agent.agentId)
    return busyAt === undefined || agent.announcedAtEpochMs > busyAt
  }

  private advance(): void {
    if (this.phase === 'assigning' && this.slots.every((slot) => slot.state === 'accepted' || slot.state === 'ready')) {
      this.phase = 'initializing'
      this.timings.agentsAcceptedMs = performance.now() - this.beganMs
      this.directory.stopDiscovering()
      this.timers.push(setTimeout(() => this.onReadyDeadline(), this.config.clusterCommandTimeoutMs))
    }
    if (this.phase === 'initializing' && this.local.ready && this.slots.every((slot) => slot.state === 'ready')) this.startLoad()
    const someoneDone = (this.local.finished && this.localScenarios.length > 0) || this.slots.some((slot) => slot.isDone)
    if (this.phase === 'running' && someoneDone) this.phase = 'collecting'
    if (this.phase === 'collecting' && this.local.finished && this.slots.every((slot) => slot.isDone)) {
      this.phase = 'done'
      this.timings.finishedMs = performance.now() - this.beganMs
      this.settle?.resolve()
    }
  }

  private startLoad(): void {
    const slowestRoundTripMs = Math.max(0, ...this.slots.map((slot) => slot.roundTripMs))
    const startAt = Date.now() + Math.max(MIN_START_LEAD_MS, 2 * slowestRoundTripMs + 5)
    this.startAtEpochMs = startAt
    this.phase = 'running'
    this.timings.nodesReadyMs = performance.now() - this.beganMs
    this.timings.loadStartMs = startAt - this.beganEpochMs
    for (const slot of this.slots) {
      slot.state = 'started'
      this.sendStart(slot)
    }
    this.local.gate.open(startAt)
    const longestMs = Math.max(0, ...this.slots.flatMap((slot) => slot.placement.scenarios.map((name) => this.expectedLoadMs.get(name) ?? 0)))
    this.loadDeadlineMs = performance.now() + (startAt - Date.now()) + longestMs + this.config.clusterCommandTimeoutMs
    if (this.options.onProgress !== undefined) this.timers.push(setInterval(() => this.reportProgress(), this.interimIntervalMs))
  }

  /** Every heartbeat interval: heartbeats, and commands whose answer has not come. */
  private tick(): void {
    if (this.phase === 'done') return
    const now = performance.now()
    for (const slot of this.slots) {
      if (slot.state === 'assigned' && now - slot.lastAssignMs >= this.config.heartbeatIntervalMs) this.sendAssign(slot)
      else if (slot.isActive && slot.state !== 'assigned') this.send(slot, 'heartbeat', { sessionId: this.sessionId, phase: this.phase })
    }
  }

  /**
   * Runs when the earliest deadline falls due (see liveness.ts), so a silent
   * agent is noticed AgentLostTimeoutMs after it was last heard. Returns the
   * next deadline: an agent's silence, the load deadline of stragglers, or,
   * while this coordinator is cut off, the broker's.
   */
  private checkLiveness(): number | undefined {
    if (this.phase === 'done') return undefined
    const now = performance.now()
    if (this.disconnectedAtMs !== undefined) {
      // Nobody can be heard now: only the broker's return is awaited.
      const brokerDueMs = this.disconnectedAtMs + this.config.clusterCommandTimeoutMs
      if (now < brokerDueMs) return brokerDueMs
      this.failBrokerUnreachable(now - this.disconnectedAtMs)
      return undefined
    }
    const lostMs = this.config.agentLostTimeoutMs
    let nextDueMs = Infinity
    for (const slot of this.slots) {
      // Losing one agent can end the session (phase becomes 'done'): stop looking then.
      if ((this.phase as Phase) === 'done') return undefined
      if (!slot.isActive) continue
      const silentMs = now - slot.lastHeardMs
      if (silentMs >= lostMs) {
        if (slot.state === 'assigned') this.giveUpOnAssign(slot)
        else this.loseAgent(slot, `stopped answering (no heartbeat for ${Math.round(silentMs)} ms, AgentLostTimeoutMs is ${lostMs})`)
        continue
      }
      if (slot.state === 'started' && now >= this.loadDeadlineMs) {
        this.loseAgent(slot, `had not sent its final stats ${this.config.clusterCommandTimeoutMs} ms (ClusterCommandTimeoutMs) after its load should have ended`)
        continue
      }
      nextDueMs = Math.min(nextDueMs, slot.lastHeardMs + lostMs, slot.state === 'started' ? this.loadDeadlineMs : Infinity)
    }
    return Number.isFinite(nextDueMs) ? nextDueMs : undefined
  }

  private giveUpOnAssign(slot: AgentSlot): void {
    const agent = slot.agent as AgentSummary
    this.log.warn(`agent ${describeAgent(agent)} did not answer its assignment within ${this.config.agentLostTimeoutMs} ms; waiting for another agent`)
    this.unresponsive.add(agent.agentId)
    slot.vacate()
    this.fillSlots()
  }

  private loseAgent(slot: AgentSlot, reason: string): void {
    const agent = slot.agent as AgentSummary
    if (this.phase === 'assigning' || this.phase === 'initializing') {
      this.fail(new ClusterError('agent-lost', `Agent ${describeAgent(agent)} ${reason} before load started`, [agent]))
      return
    }
    const sinceStart = ` ${this.secondsSinceStart(Date.now())} s after load started`
    slot.state = 'lost'
    slot.lostReason = `${reason}${sinceStart}`
    this.log.warn(`agent ${describeAgent(agent)} ${slot.lostReason}: the result will be incomplete`)
    // The result is incomplete whatever happens next, and a test waiting for the planned end would
    // only put more load on the target for a verdict already known: stop every other node now.
    const othersRunning = this.slots.some((other) => other.state === 'started') || (!this.local.finished && this.localScenarios.length > 0)
    if (othersRunning && this.stopReason === undefined) {
      this.warnings.push(
        `the run was stopped${sinceStart}, before its planned end, because agent ${agent.agentId} was lost: ` +
          'every other node stopped its load (graceful stop) and reported what it measured',
      )
      this.onStop(`agent ${agent.agentId} was lost`)
    }
    this.advance()
  }

  /** The coordinator's connection stayed down past ClusterCommandTimeoutMs: give up, keeping what was measured. */
  private failBrokerUnreachable(outageMs: number): void {
    const started = this.startAtEpochMs !== undefined
    const waiting = this.slots.filter((slot) => slot.isActive).map((slot) => slot.agent as AgentSummary)
    const timeoutMs = this.config.clusterCommandTimeoutMs
    const message =
      `The NATS broker is down or unreachable: coordinator ${this.coordinatorId} has been disconnected from ${this.transport.description} ` +
      `for ${(outageMs / 1000).toFixed(1)} s` +
      (outageMs > timeoutMs ? `, longer than ClusterCommandTimeoutMs (${timeoutMs} ms). ` : `, and ClusterCommandTimeoutMs (${timeoutMs} ms) ran out meanwhile. `) +
      (started
        ? `The run was abandoned ${this.secondsSinceStart(Date.now())} s after load started; the error's result holds what was measured ` +
          "until then (the coordinator's own scenarios and each agent's last interim stats), marked incomplete. " +
          'Agents stop their load by themselves once they have heard nothing for AgentLostTimeoutMs. '
        : 'No load had started. ') +
      'Check that nats-server is running and reachable from every node.'
    this.fail(new ClusterError('broker-unreachable', message, waiting))
    for (const slot of this.slots) {
      if (slot.state !== 'started') continue
      slot.state = 'lost'
      slot.lostReason = `could not be reached: the NATS broker was down or unreachable from the coordinator ${this.secondsSinceStart(Date.now() - outageMs)} s after load started`
    }
  }

  private fail(error: unknown): void {
    if (this.phase === 'done') return
    this.phase = 'done'
    const reason = errorMessage(error)
    for (const slot of this.slots) if (slot.isActive) this.send(slot, 'cancel', { sessionId: this.sessionId, reason })
    this.local.stop.abort(error)
    this.settle?.reject(error)
  }

  private onAssignDeadline(): void {
    if (this.phase !== 'assigning') return
    if (this.disconnectedAtMs !== undefined) return this.failBrokerUnreachable(performance.now() - this.disconnectedAtMs)
    this.fail(
      agentsMissingError({
        coordinatorId: this.coordinatorId,
        config: this.config,
        transportDescription: this.transport.description,
        heard: this.directory.summaries(),
        noteOf: (agent) => this.describeHeard(agent),
        usable: this.slots.filter((slot) => slot.state !== 'empty').length,
      }),
    )
  }

  private describeHeard(agent: AgentSummary): string {
    const slot = this.slots.find((candidate) => candidate.agent?.agentId === agent.agentId)
    if (slot !== undefined) return `assigned, ${slot.state}`
    if (this.unresponsive.has(agent.agentId)) return 'did not answer its assignment'
    return agent.state === 'busy' ? 'busy with another session' : 'idle'
  }

  private onReadyDeadline(): void {
    if (this.phase !== 'initializing') return
    if (this.disconnectedAtMs !== undefined) return this.failBrokerUnreachable(performance.now() - this.disconnectedAtMs)
    const waiting = this.slots.filter((slot) => slot.state !== 'ready').map((slot) => slot.agent as AgentSummary)
    this.fail(initTimeoutError(this.config.clusterCommandTimeoutMs, waiting, this.local.ready ? [] : this.placement.coordinator))
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
    if (phase === 'assigning' || phase === 'initializing') {
      this.fail(new ClusterError('stopped', `The run was stopped before load started: ${reason}`))
      return
    }
    this.stopReason = reason
    for (const slot of this.slots) if (slot.state === 'started') this.sendStop(slot)
    this.local.stop.abort(new Error(reason))
    // Nodes now need only their graceful stop; bound the wait for their finals accordingly.
    const gracefulMs = Math.max(0, ...[...this.settingsByName.values()].map((scenario) => scenario.settings.gracefulStopMs))
    this.loadDeadlineMs = Math.min(this.loadDeadlineMs, performance.now() + gracefulMs + this.config.clusterCommandTimeoutMs)
  }

  private reportProgress(): void {
    const onProgress = this.options.onProgress
    if (onProgress === undefined || this.startAtEpochMs === undefined || this.phase === 'done') return
    const parts: SerializedScenarioStats[] = [...(this.local.latest ?? [])]
    for (const slot of this.slots) parts.push(...(slot.report?.stats ?? slot.lastInterim?.stats ?? []))
    try {
      onProgress({ elapsedMs: Date.now() - this.startAtEpochMs, scenarios: mergeByScenario(parts) })
    } catch (error) {
      this.warnOnce.warn('progress', `progress could not be reported: ${errorMessage(error)}`)
    }
  }

  // ---- sending ----

  private sendAssign(slot: AgentSlot): void {
    const agent = slot.agent as AgentSummary
    slot.lastAssignMs = performance.now()
    this.send(slot, 'assign', {
      sessionId: this.sessionId,
      agentId: agent.agentId,
      partition: slot.placement.partition,
      scenarios: slot.placement.scenarios.map((name) => ({ name, settings: wireSettings(this.settingsByName.get(name) as Scenario) })),
      seriesIntervalMs: this.seriesIntervalMs,
      interimIntervalMs: this.interimIntervalMs,
      heartbeatIntervalMs: this.config.heartbeatIntervalMs,
      coordinatorLostTimeoutMs: this.config.agentLostTimeoutMs,
      finalAckTimeoutMs: this.config.clusterCommandTimeoutMs,
    })
  }

  private sendStart(slot: AgentSlot): void {
    slot.startSentMs = performance.now()
    // In the agent's own clock, so a skewed clock does not shift its start.
    this.send(slot, 'start', { sessionId: this.sessionId, startAtEpochMs: (this.startAtEpochMs as number) + slot.clockOffsetMs })
  }

  private sendStop(slot: AgentSlot): void {
    slot.stopSentMs = performance.now()
    this.send(slot, 'stop', { sessionId: this.sessionId, reason: this.stopReason ?? 'stopped' })
  }

  private send<K extends MessageKind>(slot: AgentSlot, kind: K, body: MessageBody<K>): void {
    const agentId = slot.agent?.agentId
    if (agentId === undefined) return
    try {
      this.transport.publish(this.subjects.agent(agentId), this.encoder.encode(kind, body))
    } catch (error) {
      this.warnOnce.warn(`publish:${kind}`, `coordinator ${this.coordinatorId} could not send "${kind}" on ${this.transport.description}: ${errorMessage(error)}`)
    }
  }

  // ---- result ----

  private coordinatorNode(): NodeInfo {
    return {
      nodeId: this.coordinatorId,
      nodeType: 'Coordinator',
      host: hostname(),
      pid: process.pid,
      scenarios: this.placement.coordinator,
      partition: ALONE,
    }
  }

  private finalTimings(): SessionTimings {
    const finishedMs = this.timings.finishedMs ?? performance.now() - this.beganMs
    return {
      agentsFoundMs: this.timings.agentsFoundMs ?? finishedMs,
      agentsAcceptedMs: this.timings.agentsAcceptedMs ?? finishedMs,
      nodesReadyMs: this.timings.nodesReadyMs ?? finishedMs,
      loadStartMs: this.timings.loadStartMs ?? finishedMs,
      finishedMs,
    }
  }
}
