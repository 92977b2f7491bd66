/**
 * One session on an agent, from assign to final-ack: check the assignment,
 * run the inits, report ready, wait for the start time, run the load while
 * sending each interval's stats as it ends (a numbered delta, cut under the
 * broker's max payload), then send the final report until the coordinator
 * acknowledges it (again after 1, 2, 4… heartbeats, at once after a
 * reconnect). Heartbeats flow both ways the whole time; when the
 * coordinator is silent for longer than it said to tolerate, the agent stops
 * its load (clean still runs) and leaves the session rather than loading a
 * target for nobody. That holds when the agent's own connection is down too:
 * it cannot tell a dead coordinator from a dead broker, and nobody would
 * receive what it measures either way.
 */
import type { NodeRunOutput } from '../../engine/node-run.js'
import type { Scenario } from '../../engine/scenario.js'
import { errorMessage } from '../../engine/outcome.js'
import { ScenarioInitError } from '../../engine/node-run.js'
import { WarnOnce, type ClusterLog } from '../log.js'
import { runGatedNode, sleep, StartGate } from '../gated-node-run.js'
import { MAX_MESSAGE_BYTES, type MessageEncoder } from '../protocol/codec.js'
import { FINAL_ENVELOPE_ALLOWANCE_BYTES, reportToText, splitReportText } from '../protocol/final-report.js'
import { intervalParts } from '../protocol/interval-parts.js'
import type { AgentErrorCode, AgentPhase, AssignMessage, Holder, MessageBody, MessageKind, MessageOf } from '../protocol/messages.js'
import type { NodeReport } from '../protocol/node-report.js'
import type { ClusterSubjects } from '../protocol/subjects.js'
import type { ClusterTransport, TransportStatus } from '../transport/transport.js'
import { runDeadlineChecks } from '../liveness.js'
import { resolveAssignment } from './resolve-assignment.js'
import { ownFigures, saveOwnStats, type OwnFigures, type SavedStats, type ScenarioTotals } from './saved-stats.js'

export type { ScenarioTotals } from './saved-stats.js'

export type SessionOutcome =
  /** The coordinator acknowledged the final stats, after `finalSends` rounds of sending them. */
  | { readonly kind: 'completed'; readonly requests: number; readonly totals: readonly ScenarioTotals[]; readonly finalSends: number }
  /** The assignment was refused (unknown scenario, invalid settings); nothing ran. */
  | { readonly kind: 'refused'; readonly code: AgentErrorCode; readonly message: string }
  /** An init or the run failed; the coordinator was told. */
  | { readonly kind: 'failed'; readonly message: string }
  /** The coordinator abandoned the session. */
  | { readonly kind: 'cancelled'; readonly reason: string }
  /**
   * The coordinator went silent; the load was stopped. `disconnectedMs` is set
   * when this agent's own NATS connection was down at that moment (for how long).
   * `own` is what the agent measured until then (absent when it never started), `saved` where it wrote it.
   */
  | {
      readonly kind: 'coordinator-lost'
      readonly silentMs: number
      readonly disconnectedMs: number | undefined
      readonly own?: OwnFigures
      readonly saved?: SavedStats
    }
  /** The final stats were never acknowledged within the assignment's finalAckTimeoutMs. */
  | { readonly kind: 'unacknowledged'; readonly requests: number; readonly totals: readonly ScenarioTotals[]; readonly finalSends: number; readonly saved?: SavedStats }

export interface AgentSessionContext {
  readonly agentId: string
  readonly transport: ClusterTransport
  readonly subjects: ClusterSubjects
  readonly encoder: MessageEncoder
  readonly log: ClusterLog
  readonly registered: ReadonlyMap<string, Scenario>
  /** Where the agent saves its own figures when nobody collects them (see saved-stats.ts); undefined: not saved. */
  readonly savedStatsFolder?: string
}

/** Messages from the coordinator that concern a running session. */
export type SessionCommand = MessageOf<'assign' | 'start' | 'stop' | 'cancel' | 'final-ack' | 'heartbeat'>

/** Final stats go out again after 1, 2, 4, then every 4 heartbeats until acknowledged. */
const MAX_FINAL_BACKOFF_HEARTBEATS = 4

/** After stop() (the agent shuts down), how long the final stats still wait for their acknowledgement. */
const SHUTDOWN_ACK_GRACE_MS = 3000

export class AgentSession {
  readonly sessionId: string
  readonly coordinatorId: string
  phase: AgentPhase = 'initializing'
  private readonly replySubject: string
  private readonly gate = new StartGate()
  /** Stops the load: graceful stop, cancel, lost coordinator or agent shutdown. */
  private readonly stopLoad = new AbortController()
  /** Ends the wait for the final acknowledgement. */
  private readonly endWait = new AbortController()
  private readonly warnings: WarnOnce
  private lastHeardMs = performance.now()
  private acknowledged = false
  private cancelReason: string | undefined
  private coordinatorSilentMs: number | undefined
  private disconnectedWhenLostMs: number | undefined
  /** performance.now() when this agent's connection dropped; undefined while connected. */
  private disconnectedAtMs: number | undefined
  private finalDeadlineMs = Infinity
  /** Aborted on reconnect: final stats sent while disconnected were lost, send them again now. */
  private resendNow: AbortController | undefined
  private readonly timers: NodeJS.Timeout[] = []

  constructor(
    private readonly context: AgentSessionContext,
    private readonly assign: AssignMessage,
  ) {
    this.sessionId = assign.sessionId
    this.coordinatorId = assign.senderId
    this.replySubject = context.subjects.session(assign.sessionId)
    this.warnings = new WarnOnce(context.log)
  }

  async run(): Promise<SessionOutcome> {
    const resolved = resolveAssignment(this.assign, this.context.registered, this.context.agentId)
    if (!resolved.ok) {
      this.send('error', { sessionId: this.sessionId, code: resolved.code, message: resolved.message, scenarios: [...resolved.scenarios] })
      return { kind: 'refused', code: resolved.code, message: resolved.message }
    }
    this.send('accepted', { sessionId: this.sessionId, exchange: this.assign.exchange })
    const stopWatching = this.context.transport.onStatus((status) => this.onTransportStatus(status))
    this.timers.push(setInterval(() => this.sendHeartbeat(), this.assign.heartbeatIntervalMs))
    const coordinatorWatch = runDeadlineChecks(() => this.checkCoordinator(), this.assign.heartbeatIntervalMs)
    try {
      return await this.serve(resolved.scenarios)
    } finally {
      for (const timer of this.timers) clearInterval(timer)
      coordinatorWatch.stop()
      stopWatching()
    }
  }

  /** Who this agent serves, for the "busy" answer to another coordinator. */
  get holder(): Holder {
    return { coordinatorId: this.coordinatorId, host: this.assign.coordinatorHost, pid: this.assign.coordinatorPid, sessionId: this.sessionId, state: 'serving' }
  }

  /** A message from this session's coordinator. Any of them proves it is alive. */
  handle(command: SessionCommand): void {
    this.lastHeardMs = performance.now()
    switch (command.kind) {
      case 'assign':
        // Our accepted was lost (or slow) and the coordinator asks again: each answer names its exchange.
        this.send('accepted', { sessionId: this.sessionId, exchange: command.exchange })
        if (this.phase !== 'initializing') this.sendHeartbeat()
        return
      case 'start':
        this.gate.open(command.startAtEpochMs)
        return
      case 'stop':
        this.stopLoad.abort(new Error(`stopped by the coordinator: ${command.reason}`))
        return
      case 'cancel':
        this.cancelReason = command.reason
        this.stopLoad.abort(new Error(`session cancelled by the coordinator: ${command.reason}`))
        this.endWait.abort()
        return
      case 'final-ack':
        this.acknowledged = true
        this.endWait.abort()
        return
      case 'heartbeat':
        return
    }
  }

  /** The agent is shutting down: stop the load now, still report it, but wait only briefly for the acknowledgement. */
  stop(reason: string): void {
    this.finalDeadlineMs = Math.min(this.finalDeadlineMs, performance.now() + SHUTDOWN_ACK_GRACE_MS)
    this.stopLoad.abort(new Error(reason))
    // Before the start there is nothing to report: tell the coordinator and leave at once.
    if (!this.gate.isOpen && this.cancelReason === undefined) {
      this.cancelReason = reason
      this.send('error', { sessionId: this.sessionId, code: 'shutting-down', message: `agent ${this.context.agentId} is shutting down: ${reason}`, scenarios: [] })
    }
  }

  private async serve(scenarios: readonly Scenario[]): Promise<SessionOutcome> {
    let output: NodeRunOutput
    try {
      output = await runGatedNode(scenarios, this.gate, {
        partition: this.assign.partition,
        seriesIntervalMs: this.assign.seriesIntervalMs,
        stopSignal: this.stopLoad.signal,
        onReady: (initMs) => {
          this.phase = 'ready'
          this.send('ready', { sessionId: this.sessionId, initMs })
        },
        onStart: () => {
          this.phase = 'running'
          this.sendHeartbeat()
        },
        onSeriesPoint: (point) => {
          for (const body of intervalParts(this.sessionId, point, this.maxPartBytes)) this.send('interim', body)
        },
      })
    } catch (error) {
      const left = this.leftEarly()
      if (left !== undefined) return left
      const code = error instanceof ScenarioInitError ? 'init-failed' : 'run-failed'
      const message = errorMessage(error)
      this.send('error', { sessionId: this.sessionId, code, message, scenarios: error instanceof ScenarioInitError ? [error.scenarioName] : [] })
      return { kind: 'failed', message }
    }
    const left = this.leftEarly()
    if (left?.kind === 'coordinator-lost' && this.gate.isOpen) {
      return { ...left, own: ownFigures(output), ...(await this.save(output, `coordinator silent for ${Math.round(left.silentMs)} ms`)) }
    }
    if (left !== undefined) return left
    this.phase = 'reporting'
    return this.report(output)
  }

  /** Sends the final report until it is acknowledged (or the coordinator is gone, or time is up). */
  private async report(output: NodeRunOutput): Promise<SessionOutcome> {
    const report: NodeReport = {
      stats: output.stats,
      warnings: output.warnings,
      startedAtEpochMs: output.startedAtEpochMs,
      durationMs: output.durationMs,
      timeSeries: output.timeSeries,
      startDelayMs: this.gate.startDelayMs,
      ...(output.generator === undefined ? {} : { generator: output.generator }),
    }
    const { totals, requests } = ownFigures(output)
    const parts = splitReportText(reportToText(report), this.maxPartBytes)
    this.finalDeadlineMs = Math.min(this.finalDeadlineMs, performance.now() + this.assign.finalAckTimeoutMs)
    let finalSends = 0
    // Bounded by finalDeadlineMs; round n waits 2^(n-1) heartbeats (at most MAX_FINAL_BACKOFF_HEARTBEATS) unless woken by
    // ack, cancel or a lost coordinator. Rounds sent while the broker is down are lost (the NATS client drops its buffer on
    // reconnect), so a reconnect sends the next round at once.
    while (!this.acknowledged && this.cancelReason === undefined && this.coordinatorSilentMs === undefined && performance.now() < this.finalDeadlineMs) {
      finalSends++
      parts.forEach((data, part) => this.send('final', { sessionId: this.sessionId, part, parts: parts.length, data }))
      const waitMs = this.assign.heartbeatIntervalMs * Math.min(MAX_FINAL_BACKOFF_HEARTBEATS, 2 ** (finalSends - 1))
      this.resendNow = new AbortController()
      await sleep(Math.min(waitMs, this.finalDeadlineMs - performance.now()), AbortSignal.any([this.endWait.signal, this.resendNow.signal]))
    }
    if (this.acknowledged) return { kind: 'completed', requests, totals, finalSends }
    const left = this.leftEarly()
    if (left?.kind === 'coordinator-lost') return { ...left, own: { requests, totals }, ...(await this.save(output, 'the coordinator went silent before acknowledging them')) }
    return left ?? { kind: 'unacknowledged', requests, totals, finalSends, ...(await this.save(output, `final stats not acknowledged after ${finalSends} sends`)) }
  }

  /** Nobody will collect these figures: the agent keeps them itself, when it has a folder for them. */
  private async save(output: NodeRunOutput, why: string): Promise<{ saved?: SavedStats }> {
    const folder = this.context.savedStatsFolder
    if (folder === undefined) return {}
    const session = { agentId: this.context.agentId, sessionId: this.sessionId, coordinatorId: this.coordinatorId, partition: this.assign.partition }
    return { saved: await saveOwnStats(folder, session, output, why) }
  }

  private leftEarly(): SessionOutcome | undefined {
    if (this.cancelReason !== undefined) return { kind: 'cancelled', reason: this.cancelReason }
    if (this.coordinatorSilentMs !== undefined) return { kind: 'coordinator-lost', silentMs: this.coordinatorSilentMs, disconnectedMs: this.disconnectedWhenLostMs }
    return undefined
  }

  private onTransportStatus(status: TransportStatus): void {
    if (status === 'disconnected') this.disconnectedAtMs ??= performance.now()
    else if (status === 'reconnected') {
      this.disconnectedAtMs = undefined
      this.resendNow?.abort()
    }
  }

  /** A broker may carry more than the coordinator's gate accepts (max_payload up to 64 MB): cut for the smaller. */
  private get maxPartBytes(): number {
    return Math.min(this.context.transport.maxPayloadBytes, MAX_MESSAGE_BYTES) - FINAL_ENVELOPE_ALLOWANCE_BYTES
  }

  /** Gives up on a coordinator silent for coordinatorLostTimeoutMs; returns when to look again. */
  private checkCoordinator(): number | undefined {
    if (this.coordinatorSilentMs !== undefined) return undefined
    const now = performance.now()
    const silentMs = now - this.lastHeardMs
    if (silentMs < this.assign.coordinatorLostTimeoutMs) return this.lastHeardMs + this.assign.coordinatorLostTimeoutMs
    this.coordinatorSilentMs = silentMs
    this.disconnectedWhenLostMs = this.disconnectedAtMs === undefined ? undefined : now - this.disconnectedAtMs
    const why =
      this.disconnectedWhenLostMs === undefined
        ? ''
        : ` while this agent has been disconnected from ${this.context.transport.description} for ${Math.round(this.disconnectedWhenLostMs)} ms (the broker is down or unreachable)`
    this.context.log.warn(
      `coordinator ${this.coordinatorId} has been silent for ${Math.round(silentMs)} ms (session ${this.sessionId})${why}: ` +
        'stopping the load, running clean and waiting for a new session',
    )
    this.stopLoad.abort(new Error('the coordinator went silent'))
    this.endWait.abort()
    return undefined
  }

  private sendHeartbeat(): void {
    this.send('heartbeat', { sessionId: this.sessionId, phase: this.phase })
  }

  private send<K extends MessageKind>(kind: K, body: MessageBody<K>): void {
    try {
      this.context.transport.publish(this.replySubject, this.context.encoder.encode(kind, body))
    } catch (error) {
      this.warnings.warn(`publish:${kind}`, `agent ${this.context.agentId} could not send "${kind}" on ${this.context.transport.description}: ${errorMessage(error)}`)
    }
  }
}
