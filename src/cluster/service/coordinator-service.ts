/**
 * The coordinator service (`loadspec coordinator`): a long-lived process
 * that keeps the agent directory, accepts sessions from clients over NATS
 * and runs each one as a Coordinator node runs its own (coordinator/
 * session.ts, unchanged), then hands the merged result to the client.
 *
 * Sessions wait in one FIFO queue; the head starts as soon as enough idle
 * agents that registered its scenarios are free (agents of running
 * sessions are not), so sessions on disjoint agents run at once and none
 * overtakes another. Bad input is refused at once; a client that falls
 * silent for AgentLostTimeoutMs loses its place or has its session stopped,
 * freeing its agents for the next one.
 */
import { hostname } from 'node:os'
import type { LoadspecConfig } from '../../config/index.js'
import type { Scenario } from '../../engine/scenario.js'
import { errorMessage } from '../../engine/outcome.js'
import type { SerializedRunResult } from '../../result/result.js'
import { AgentDirectory, type HeardAgent } from '../coordinator/agent-directory.js'
import { runCoordinatorSession } from '../coordinator/session.js'
import { ClusterError } from '../errors.js'
import { fingerprintsOf, type Fingerprints } from '../fingerprint.js'
import { newNodeId } from '../ids.js'
import { silentClusterLog, type ClusterLog } from '../log.js'
import { MessageEncoder, MessageGate } from '../protocol/codec.js'
import { splitReportText } from '../protocol/final-report.js'
import { clusterSubjects } from '../protocol/subjects.js'
import type { ClusterTransport } from '../transport/transport.js'
import { ServiceCodec } from './codec.js'
import { availability, freeFor } from './fleet.js'
import { serviceSubjects, type ServiceBody, type ServiceKind, type ServiceMessageOf, type ServiceStatusBody, type ServiceSubjects } from './protocol.js'
import { canServe, checkFleet, checkSubmit, describeClient, type SessionRequest, type Submit } from './session-request.js'
import { sessionLine } from './session-line.js'

export interface CoordinatorServiceOptions {
  /** Scenarios loaded from the service's modules: CoordinatorTargetScenarios run from these. */
  readonly scenarios: readonly Scenario[]
  /** The service's own config: namespace, NATS, heartbeats, AgentLostTimeoutMs. */
  readonly config: LoadspecConfig
  readonly transport: ClusterTransport
  readonly log?: ClusterLog
  readonly serviceId?: string
  /** When the service process began (default: now); what its status and presence say. */
  readonly startedAtEpochMs?: number
}

interface Entry {
  readonly key: string
  readonly request: SessionRequest
  readonly coordinatorId: string
  readonly submittedAtEpochMs: number
  state: 'queued' | 'running' | 'delivering'
  lastHeardMs: number
  beganMs?: number
  controller?: AbortController
  done?: Promise<void>
  /** What is re-sent until the client acknowledges it (result parts, or the failure). */
  final?: readonly Uint8Array[]
  clientLost?: boolean
}

const SESSION_KINDS = ['client-heartbeat', 'withdraw', 'result-ack'] as const

export class CoordinatorService {
  readonly serviceId: string
  readonly startedAtEpochMs: number
  /** Sessions served to the end (result delivered or failed). */
  sessionsServed = 0
  private readonly startedMs = performance.now()
  private readonly log: ClusterLog
  private readonly directory: AgentDirectory
  private readonly codec: ServiceCodec
  private readonly subjects: ServiceSubjects
  private readonly loaded: ReadonlyMap<string, Scenario>
  /** Computed once at start: the code the service loaded. */
  private readonly loadedFingerprints: Fingerprints
  private readonly entries = new Map<string, Entry>()
  private readonly unsubscribes: (() => void)[] = []
  private timer: NodeJS.Timeout | undefined
  private stopping = false
  private sessionCounter = 0

  constructor(private readonly options: CoordinatorServiceOptions) {
    const { config, transport } = options
    this.log = options.log ?? silentClusterLog
    this.serviceId = options.serviceId ?? newNodeId('coordinator')
    this.startedAtEpochMs = options.startedAtEpochMs ?? Date.now()
    const namespace = { clusterId: config.clusterId, agentGroup: config.agentGroup }
    const cluster = clusterSubjects(config.clusterId, config.agentGroup)
    this.subjects = serviceSubjects(cluster)
    this.codec = new ServiceCodec(namespace, this.serviceId, this.log, `coordinator service ${this.serviceId}`)
    const gate = new MessageGate(namespace, this.log, `coordinator service ${this.serviceId}`)
    this.directory = new AgentDirectory(transport, cluster, new MessageEncoder(namespace, this.serviceId), gate, this.log)
    this.loaded = new Map(options.scenarios.map((scenario) => [scenario.name, scenario]))
    this.loadedFingerprints = fingerprintsOf(options.scenarios)
  }

  start(): void {
    const { transport, config } = this.options
    this.directory.start(config.heartbeatIntervalMs)
    this.unsubscribes.push(
      this.directory.listen({ onAnnounce: () => this.pump() }),
      transport.subscribe(this.subjects.submit, (payload, subject) => {
        const submit = this.codec.open(payload, subject, ['submit'])
        if (submit !== undefined) this.onSubmit(submit)
      }),
      transport.subscribe(this.subjects.status, (payload, subject) => {
        const request = this.codec.open(payload, subject, ['status-request'])
        if (request !== undefined) this.send(request.clientId, request.replyId, 'status', { replyId: request.replyId, ...this.status() })
      }),
      transport.subscribe(this.subjects.allSessions, (payload, subject) => {
        const message = this.codec.open(payload, subject, SESSION_KINDS)
        if (message !== undefined && subject === this.subjects.session(message.clientId, message.sessionId)) this.onClientMessage(message)
      }),
    )
    this.timer = setInterval(() => this.tick(), config.heartbeatIntervalMs)
  }

  /** Refuses what is queued, stops what runs (graceful: clients get what was measured), then leaves. */
  async stop(reason: string): Promise<void> {
    if (this.stopping) return
    this.stopping = true
    for (const entry of this.entries.values()) {
      if (entry.state === 'queued') this.refuse(entry, 'shutting-down', `the coordinator service ${this.serviceId} is stopping (${reason}); submit the session again when it is back`)
      else entry.controller?.abort(new Error(`the coordinator service is stopping (${reason})`))
    }
    await Promise.all([...this.entries.values()].map((entry) => entry.done))
    // Results on their way get a few heartbeats to be acknowledged.
    const deadline = performance.now() + 3 * this.options.config.heartbeatIntervalMs
    while (performance.now() < deadline && [...this.entries.values()].some((entry) => entry.state === 'delivering')) await sleep(50)
    clearInterval(this.timer)
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe()
    this.directory.close()
  }

  status(): ServiceStatusBody {
    const byCoordinator = new Map([...this.entries.values()].map((entry) => [entry.coordinatorId, entry.request.submit.sessionId]))
    return {
      serviceId: this.serviceId,
      host: hostname(),
      pid: process.pid,
      startedAtEpochMs: this.startedAtEpochMs,
      scenarios: [...this.loaded.keys()],
      agents: this.fleet().map((agent) => ({
        agentId: agent.agentId,
        host: agent.host,
        pid: agent.pid,
        state: agent.state,
        sessionId: (agent.holder === null ? undefined : byCoordinator.get(agent.holder.coordinatorId)) ?? agent.sessionId,
        scenarios: [...agent.scenarios],
        fingerprints: { ...agent.fingerprints },
      })),
      sessions: [...this.entries.values()]
        .filter((entry) => entry.state !== 'delivering')
        .map((entry) => ({
          sessionId: entry.request.submit.sessionId,
          client: describeClient(entry.request.submit),
          scenarios: entry.request.plan.scenarioNames.slice(),
          agentsCount: entry.request.plan.slots.length,
          submittedAtEpochMs: entry.submittedAtEpochMs,
          state: entry.state === 'queued' ? 'queued' : 'running',
        })),
    }
  }

  // ---- clients ----

  private onSubmit(submit: Submit): void {
    const key = `${submit.clientId}/${submit.sessionId}`
    const known = this.entries.get(key)
    if (known !== undefined) {
      // A re-sent submit (the client had no answer yet).
      known.lastHeardMs = performance.now()
      return this.sendState(known)
    }
    if (this.stopping) return this.refuseSubmit(submit, 'shutting-down', `the coordinator service ${this.serviceId} is stopping`)
    const checked = checkSubmit(submit, this.options.config, this.loaded, this.loadedFingerprints)
    if (!checked.ok) return this.refuseSubmit(submit, checked.code, checked.message)
    const problem = checkFleet(checked.request, this.fleet(), this.fleetSettled)
    if (problem !== undefined) return this.refuseSubmit(submit, problem.code, problem.message)
    const entry: Entry = {
      key,
      request: checked.request,
      coordinatorId: `${this.serviceId}-s${++this.sessionCounter}`,
      submittedAtEpochMs: Date.now(),
      state: 'queued',
      lastHeardMs: performance.now(),
    }
    this.entries.set(key, entry)
    this.pump()
    if (entry.state === 'queued') this.log.info(`session ${submit.sessionId} from ${describeClient(submit)} queued at place ${this.positionOf(entry)}`)
    this.sendState(entry)
  }

  private onClientMessage(message: ServiceMessageOf<(typeof SESSION_KINDS)[number]>): void {
    const entry = this.entries.get(`${message.clientId}/${message.sessionId}`)
    if (entry === undefined) return
    entry.lastHeardMs = performance.now()
    if (message.kind === 'result-ack' && entry.state === 'delivering') {
      this.entries.delete(entry.key)
      return
    }
    if (message.kind !== 'withdraw') return
    if (entry.state === 'queued') {
      this.log.info(`session ${message.sessionId} withdrawn by its client while queued (${message.reason})`)
      this.entries.delete(entry.key)
      this.broadcastStates()
    } else entry.controller?.abort(new Error(`the client stopped the run (${message.reason})`))
  }

  private tick(): void {
    const nowMs = performance.now()
    const lostAfterMs = this.options.config.agentLostTimeoutMs
    for (const entry of [...this.entries.values()]) {
      const silentMs = nowMs - entry.lastHeardMs
      if (silentMs <= lostAfterMs) {
        if (entry.state === 'delivering') for (const part of entry.final ?? []) this.publish(this.clientSubject(entry), part)
        else this.sendState(entry)
        continue
      }
      const reason = `client ${describeClient(entry.request.submit)} was silent for ${Math.round(silentMs)} ms (AgentLostTimeoutMs is ${lostAfterMs})`
      if (entry.state === 'running') {
        if (entry.clientLost !== true) this.log.warn(`session ${entry.request.submit.sessionId}: ${reason}; stopping it to free its agents`)
        entry.clientLost = true
        entry.controller?.abort(new Error(reason))
        continue
      }
      if (entry.state === 'queued') this.log.warn(`session ${entry.request.submit.sessionId} leaves the queue: ${reason}`)
      this.entries.delete(entry.key)
    }
    this.pump()
  }

  // ---- the queue ----

  private pump(): void {
    if (this.stopping) return
    for (;;) {
      const head = [...this.entries.values()].find((entry) => entry.state === 'queued')
      if (head === undefined) return
      const problem = checkFleet(head.request, this.fleet(), this.fleetSettled)
      if (problem !== undefined) {
        this.refuse(head, problem.code, problem.message)
        continue
      }
      if (this.freeAgentsFor(head) < head.request.plan.slots.length) return
      this.begin(head)
      this.broadcastStates()
    }
  }

  private freeAgentsFor(entry: Entry): number {
    const running = [...this.entries.values()].filter((other) => other.state === 'running').map((other) => ({ coordinatorId: other.coordinatorId, needed: other.request.plan.slots.length }))
    return freeFor(availability(this.fleet(), running), (agent) => canServe(agent, entry.request))
  }

  private begin(entry: Entry): void {
    const { submit, scenarios, config } = entry.request
    entry.state = 'running'
    entry.beganMs = performance.now()
    entry.controller = new AbortController()
    this.sendState(entry)
    entry.done = runCoordinatorSession({
      scenarios,
      config,
      transport: this.options.transport,
      log: this.log,
      directory: this.directory,
      coordinatorId: entry.coordinatorId,
      // checkFleet refused differing agents it knew of; this catches one that announces later, and makes AllowCodeMismatch a warning.
      codeCheck: { fingerprints: submit.fingerprints, side: 'client', allowCodeMismatch: submit.allowCodeMismatch },
      stopSignal: entry.controller.signal,
      onProgress: (progress) => this.send(submit.clientId, submit.sessionId, 'progress', { clientId: submit.clientId, sessionId: submit.sessionId, elapsedMs: progress.elapsedMs, stats: [...progress.scenarios] }),
    }).then(
      (run) => this.finish(entry, run.result, undefined),
      (error: unknown) => this.finish(entry, error instanceof ClusterError ? error.result?.toJSON() : undefined, error),
    )
  }

  private finish(entry: Entry, result: SerializedRunResult | undefined, error: unknown): void {
    const { submit } = entry.request
    this.sessionsServed++
    this.log.info(sessionLine({ submit, result, error, durationMs: performance.now() - (entry.beganMs ?? performance.now()), clientLost: entry.clientLost === true }))
    if (entry.clientLost === true) this.entries.delete(entry.key)
    else {
      entry.state = 'delivering'
      entry.final = error === undefined && result !== undefined ? this.resultParts(submit, result) : [this.failedMessage(submit, error)]
      for (const part of entry.final) this.publish(this.clientSubject(entry), part)
    }
    this.pump()
    this.broadcastStates()
  }

  private resultParts(submit: Submit, result: SerializedRunResult): Uint8Array[] {
    const parts = splitReportText(JSON.stringify(result), Math.max(64, this.options.transport.maxPayloadBytes - 2048))
    return parts.map((data, part) => this.codec.encode('result', { clientId: submit.clientId, sessionId: submit.sessionId, part, parts: parts.length, data }))
  }

  private failedMessage(submit: Submit, error: unknown): Uint8Array {
    return this.codec.encode('failed', {
      clientId: submit.clientId,
      sessionId: submit.sessionId,
      code: 'session-failed',
      clusterCode: error instanceof ClusterError ? error.code : null,
      message: errorMessage(error),
    })
  }

  private refuse(entry: Entry, code: ServiceMessageOf<'refused'>['code'], message: string): void {
    this.entries.delete(entry.key)
    this.refuseSubmit(entry.request.submit, code, message)
    this.broadcastStates()
  }

  private refuseSubmit(submit: Submit, code: ServiceMessageOf<'refused'>['code'], message: string): void {
    this.log.info(`session ${submit.sessionId} from ${describeClient(submit)} refused (${code}): ${message}`)
    this.send(submit.clientId, submit.sessionId, 'refused', { clientId: submit.clientId, sessionId: submit.sessionId, code, message })
  }

  private broadcastStates(): void {
    for (const entry of this.entries.values()) if (entry.state === 'queued') this.sendState(entry)
  }

  private sendState(entry: Entry): void {
    const { submit } = entry.request
    const running = entry.state !== 'queued'
    this.send(submit.clientId, submit.sessionId, 'session-state', {
      clientId: submit.clientId,
      sessionId: submit.sessionId,
      state: running ? 'running' : 'queued',
      position: running ? 0 : this.positionOf(entry),
      waitingFor: running ? '' : this.waitingFor(entry),
      agents: this.fleet().filter((agent) => agent.holder?.coordinatorId === entry.coordinatorId).map((agent) => agent.agentId),
    })
  }

  private waitingFor(entry: Entry): string {
    const position = this.positionOf(entry)
    if (position > 1) return `${position - 1} session${position === 2 ? '' : 's'} ahead in the queue`
    const needed = entry.request.plan.slots.length
    const free = Math.max(0, this.freeAgentsFor(entry))
    const fleet = this.fleet()
    return `${needed} agent${needed === 1 ? '' : 's'} (${free} free of ${fleet.length} in the fleet: ${fleet.map((agent) => `${agent.agentId} ${agent.state}`).join(', ') || 'none yet'})`
  }

  private positionOf(entry: Entry): number {
    return [...this.entries.values()].filter((other) => other.state === 'queued').indexOf(entry) + 1
  }

  // ---- the fleet ----

  /** Agents heard lately (a dead agent stops answering discover and drops out). */
  private fleet(): HeardAgent[] {
    const { agentLostTimeoutMs, heartbeatIntervalMs } = this.options.config
    const recentMs = performance.now() - Math.max(agentLostTimeoutMs, 3 * heartbeatIntervalMs)
    return [...this.directory.agents.values()].filter((agent) => agent.lastHeardMs >= recentMs).sort((a, b) => (a.agentId < b.agentId ? -1 : 1))
  }

  /** After two discover rounds every live agent has answered: the fleet is known, and a session it cannot serve is refused. */
  private get fleetSettled(): boolean {
    return performance.now() - this.startedMs >= 2 * this.options.config.heartbeatIntervalMs
  }

  // ---- sending ----

  private clientSubject(entry: Entry): string {
    return this.subjects.client(entry.request.submit.clientId, entry.request.submit.sessionId)
  }

  private send<K extends ServiceKind>(clientId: string, id: string, kind: K, body: ServiceBody<K>): void {
    this.publish(this.subjects.client(clientId, id), this.codec.encode(kind, body))
  }

  private publish(subject: string, payload: Uint8Array): void {
    try {
      this.options.transport.publish(subject, payload)
    } catch (error) {
      this.log.debug(`coordinator service ${this.serviceId} could not publish on ${subject}: ${errorMessage(error)}`)
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
