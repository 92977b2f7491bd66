/**
 * A client's side of one service session (NodeType Client): submit the
 * scenarios' names and load shapes, hear the place in the queue, then the
 * merged live stats, and take the merged result. The client sends a
 * heartbeat every HeartbeatIntervalMs; a service silent for
 * AgentLostTimeoutMs fails the session as `coordinator-lost` (its agents
 * stop by themselves, as they do when a coordinator dies), and one that
 * never answers fails it as `service-unreachable` as soon as that is clear.
 */
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { LoadspecConfig } from '../../config/index.js'
import type { RunProgress } from '../../result/progress.js'
import { ClusterError, type ClusterErrorCode } from '../errors.js'
import { silentClusterLog, type ClusterLog } from '../log.js'
import { ReportAssembly } from '../protocol/final-report.js'
import type { WireScenarioSettings } from '../protocol/messages.js'
import { clusterSubjects } from '../protocol/subjects.js'
import type { ClusterTransport } from '../transport/transport.js'
import { ServiceCodec } from './codec.js'
import { serviceSubjects, type ServiceBody, type ServiceMessageOf, type ServiceSubjects } from './protocol.js'

export interface ClientSessionOptions {
  readonly scenarios: readonly { readonly name: string; readonly settings: WireScenarioSettings; readonly fingerprint: string }[]
  readonly config: LoadspecConfig
  readonly transport: ClusterTransport
  readonly clientId?: string
  readonly log?: ClusterLog
  readonly stopSignal?: AbortSignal
  readonly onProgress?: (progress: RunProgress) => void
  /** Every change of place in the queue, and the start. */
  readonly onState?: (state: ServiceMessageOf<'session-state'>) => void
}

export interface ClientSessionOutcome {
  readonly sessionId: string
  /** The merged result's JSON text, as the service sent it (the caller validates it). */
  readonly resultText: string
}

/** Letters, digits, "-", "_": a NATS subject token that permissions can name. */
export function defaultClientId(host = hostname(), pid = process.pid): string {
  return `${host.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100)}-${pid}`
}

const FROM_SERVICE = ['session-state', 'progress', 'refused', 'failed', 'result'] as const
/** Codes of a session's failure on the service that the client raises as they are. */
const SESSION_FAILURE_CODES: ReadonlySet<string> = new Set([
  'agents-missing',
  'agent-refused',
  'agent-failed',
  'agents-not-ready',
  'agent-lost',
  'stopped',
  'placement',
  'broker-unreachable',
  'code-mismatch',
] satisfies readonly ClusterErrorCode[])

export function runClientSession(options: ClientSessionOptions): Promise<ClientSessionOutcome> {
  return new ClientSession(options).run()
}

class ClientSession {
  private readonly sessionId = randomBytes(8).toString('hex')
  private readonly clientId: string
  private readonly codec: ServiceCodec
  private readonly subjects: ServiceSubjects
  private readonly log: ClusterLog
  private readonly assembly = new ReportAssembly()
  private readonly beganMs = performance.now()
  private lastHeardMs: number | undefined
  private lastState: string | undefined
  private withdrawReason: string | undefined
  private settle: { resolve: (text: string) => void; reject: (error: unknown) => void } | undefined

  constructor(private readonly options: ClientSessionOptions) {
    const { config } = options
    this.clientId = options.clientId ?? options.config.clientId ?? defaultClientId()
    this.log = options.log ?? silentClusterLog
    this.subjects = serviceSubjects(clusterSubjects(config.clusterId, config.agentGroup))
    this.codec = new ServiceCodec({ clusterId: config.clusterId, agentGroup: config.agentGroup }, this.clientId, this.log, `client ${this.clientId}`)
  }

  async run(): Promise<ClientSessionOutcome> {
    const { transport, config, stopSignal } = this.options
    const done = new Promise<string>((resolve, reject) => (this.settle = { resolve, reject }))
    const unsubscribe = transport.subscribe(this.subjects.client(this.clientId, this.sessionId), (payload, subject) => {
      const message = this.codec.open(payload, subject, FROM_SERVICE)
      if (message !== undefined && message.sessionId === this.sessionId) this.onMessage(message)
    })
    const onStop = (): void => {
      this.withdrawReason = stopSignal?.reason instanceof Error ? stopSignal.reason.message : 'run stopped'
      this.sendToService('withdraw', { ...this.ids, reason: this.withdrawReason })
    }
    stopSignal?.addEventListener('abort', onStop, { once: true })
    const timer = setInterval(() => this.tick(), config.heartbeatIntervalMs)
    this.submit()
    try {
      const resultText = await done
      return { sessionId: this.sessionId, resultText }
    } finally {
      clearInterval(timer)
      stopSignal?.removeEventListener('abort', onStop)
      unsubscribe()
    }
  }

  private submit(): void {
    const { config, scenarios } = this.options
    this.publish(
      this.subjects.submit,
      this.codec.encode('submit', {
        clientId: this.clientId,
        sessionId: this.sessionId,
        host: hostname(),
        pid: process.pid,
        scenarios: scenarios.map((scenario) => ({ name: scenario.name, settings: scenario.settings })),
        agentsCount: config.agentsCount,
        targetScenarios: config.targetScenarios,
        agentTargetScenarios: config.agentTargetScenarios,
        coordinatorTargetScenarios: config.coordinatorTargetScenarios,
        clusterCommandTimeoutMs: config.clusterCommandTimeoutMs,
        reportingIntervalMs: config.reportingIntervalMs ?? null,
        fingerprints: Object.fromEntries(scenarios.map((scenario) => [scenario.name, scenario.fingerprint])),
        allowCodeMismatch: config.allowCodeMismatch,
      }),
    )
  }

  private tick(): void {
    const { config } = this.options
    const nowMs = performance.now()
    if (this.lastHeardMs === undefined) {
      if (nowMs - this.beganMs > config.agentLostTimeoutMs) {
        return this.fail(
          new ClusterError(
            'service-unreachable',
            `No coordinator service answered on ${this.subjects.submit} (ClusterId "${config.clusterId}", AgentGroup "${config.agentGroup}", ` +
              `${this.options.transport.description}) within ${config.agentLostTimeoutMs} ms (AgentLostTimeoutMs): start one with ` +
              `\`loadspec coordinator --scenarios <glob> --NatsServerUrl=… --ClusterId=${config.clusterId} --AgentGroup=${config.agentGroup}\`, or check ClusterId and AgentGroup`,
          ),
        )
      }
      // Publishes are fire-and-forget: the submit is repeated until the service answers (it ignores repeats).
      this.submit()
      return
    }
    const silentMs = nowMs - this.lastHeardMs
    if (silentMs > config.agentLostTimeoutMs) {
      return this.fail(
        new ClusterError(
          'coordinator-lost',
          `The coordinator service was silent for ${Math.round(silentMs)} ms (AgentLostTimeoutMs is ${config.agentLostTimeoutMs}) during session ${this.sessionId}: ` +
            'it stopped or lost its NATS connection; its agents stop their load by themselves',
        ),
      )
    }
    this.sendToService('client-heartbeat', this.ids)
    if (this.withdrawReason !== undefined) this.sendToService('withdraw', { ...this.ids, reason: this.withdrawReason })
  }

  private onMessage(message: ServiceMessageOf<(typeof FROM_SERVICE)[number]>): void {
    this.lastHeardMs = performance.now()
    switch (message.kind) {
      case 'session-state': {
        const key = `${message.state}:${message.position}:${message.waitingFor}`
        if (key !== this.lastState) this.options.onState?.(message)
        this.lastState = key
        return
      }
      case 'progress':
        this.options.onProgress?.({ elapsedMs: message.elapsedMs, scenarios: message.stats })
        return
      case 'refused':
        return this.fail(new ClusterError(message.code === 'code-mismatch' ? 'code-mismatch' : 'session-refused', `The coordinator service refused the session (${message.code}): ${message.message}`))
      case 'failed': {
        this.sendToService('result-ack', this.ids)
        const code: ClusterErrorCode = message.clusterCode !== null && SESSION_FAILURE_CODES.has(message.clusterCode) ? (message.clusterCode as ClusterErrorCode) : 'session-failed'
        return this.fail(new ClusterError(code, message.message))
      }
      case 'result': {
        const text = this.assembly.add(message.part, message.parts, message.data)
        if (text === undefined) return
        this.sendToService('result-ack', this.ids)
        this.settle?.resolve(text)
        return
      }
    }
  }

  private fail(error: ClusterError): void {
    this.settle?.reject(error)
  }

  private get ids(): { readonly clientId: string; readonly sessionId: string } {
    return { clientId: this.clientId, sessionId: this.sessionId }
  }

  private sendToService<K extends 'client-heartbeat' | 'withdraw' | 'result-ack'>(kind: K, body: ServiceBody<K>): void {
    this.publish(this.subjects.session(this.clientId, this.sessionId), this.codec.encode(kind, body))
  }

  private publish(subject: string, payload: Uint8Array): void {
    try {
      this.options.transport.publish(subject, payload)
    } catch (error) {
      this.log.debug(`client ${this.clientId} could not publish on ${subject}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
}
