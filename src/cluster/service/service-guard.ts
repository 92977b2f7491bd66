/**
 * One coordinator service per namespace. Two services on one ClusterId /
 * AgentGroup would both answer status requests and both take submitted
 * sessions and reserve agents, so a service makes sure it is alone:
 *
 * - At start it asks for a status, as `loadspec coordinator --status` does:
 *   a service already serving answers (also one of an earlier loadspec that
 *   knows nothing of presence), and the newcomer gives way.
 * - Meanwhile, and then every heartbeat while it serves, it says it is there
 *   on the presence subject. Two services that hear each other compare
 *   ranks and the lower one leaves, as the younger of two agent processes
 *   with one id does. That settles two that start at once, and two that
 *   both got through (a broker that split and healed).
 *
 * The rank: a serving service outranks one still checking (a newcomer whose
 * clock runs behind must not displace the one that serves), then the one
 * that began first, then the smaller service id (both sides agree).
 */
import type { LoadspecConfig } from '../../config/index.js'
import { errorMessage } from '../../engine/outcome.js'
import { ClusterError } from '../errors.js'
import type { ClusterLog } from '../log.js'
import { clusterSubjects } from '../protocol/subjects.js'
import type { ClusterTransport } from '../transport/transport.js'
import { ServiceCodec } from './codec.js'
import { serviceSubjects, type ServiceMessageOf, type ServiceSubjects } from './protocol.js'
import { queryServiceStatus } from './status-query.js'

export interface ServiceIdentity {
  readonly serviceId: string
  readonly host: string
  readonly pid: number
  /** When the service process began, in its clock. */
  readonly startedAtEpochMs: number
}

/** A service heard on the namespace: by its status reply (it serves) or its presence. */
export interface OtherService extends ServiceIdentity {
  readonly serving: boolean
}

export interface ServiceGuardOptions {
  readonly transport: ClusterTransport
  readonly config: Pick<LoadspecConfig, 'clusterId' | 'agentGroup' | 'heartbeatIntervalMs'>
  readonly self: ServiceIdentity
  readonly log: ClusterLog
}

export class ServiceGuard {
  private readonly subjects: ServiceSubjects
  private readonly codec: ServiceCodec
  private serving = false
  private outranked: ((other: OtherService) => void) | undefined
  private unsubscribe: (() => void) | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly options: ServiceGuardOptions) {
    const { config, self, log } = options
    this.subjects = serviceSubjects(clusterSubjects(config.clusterId, config.agentGroup))
    this.codec = new ServiceCodec(config, self.serviceId, log, `coordinator service ${self.serviceId}`)
  }

  /**
   * Asks for a status and says it is there; resolves with the service this
   * one must give way to, if one is heard within `timeoutMs`, or undefined
   * when it is alone. Presence keeps being listened to afterwards.
   */
  async claim(timeoutMs: number): Promise<OtherService | undefined> {
    const { transport, config, self } = this.options
    let resolveHeard: (other: OtherService) => void = () => {}
    const heard = new Promise<OtherService>((resolve) => (resolveHeard = resolve))
    this.outranked = resolveHeard
    this.listen()
    this.announce()
    // The query's client id is the service's own: its reply subject then names the service.
    const asking = new AbortController()
    const answered = queryServiceStatus({ transport, config, clientId: self.serviceId, timeoutMs, signal: asking.signal }).then(
      (status): OtherService => ({ serviceId: status.serviceId, host: status.host, pid: status.pid, startedAtEpochMs: status.startedAtEpochMs, serving: true }),
      (error: unknown) => {
        if (!asking.signal.aborted && (!(error instanceof ClusterError) || error.code !== 'service-unreachable')) this.options.log.debug(`coordinator service ${self.serviceId}: status query at start failed: ${errorMessage(error)}`)
        return undefined
      },
    )
    const other = await Promise.race([heard, answered])
    // Heard by presence: stop asking before the caller closes the connection the query publishes on.
    asking.abort()
    await answered
    this.outranked = undefined
    return other?.serviceId === self.serviceId ? undefined : other
  }

  /** From now on this service serves: presence every heartbeat, `onOutranked` (once) when a service of higher rank is heard. */
  serve(onOutranked: (other: OtherService) => void): void {
    this.serving = true
    this.outranked = onOutranked
    this.listen()
    this.announce()
    this.timer = setInterval(() => this.announce(), this.options.config.heartbeatIntervalMs)
  }

  close(): void {
    clearInterval(this.timer)
    this.unsubscribe?.()
    this.unsubscribe = undefined
    this.outranked = undefined
  }

  private listen(): void {
    this.unsubscribe ??= this.options.transport.subscribe(this.subjects.presence, (payload, subject) => {
      const presence = this.codec.open(payload, subject, ['presence'])
      if (presence !== undefined) this.onPresence(presence)
    })
  }

  private onPresence(presence: ServiceMessageOf<'presence'>): void {
    const { self } = this.options
    if (presence.serviceId === self.serviceId) return
    const other: OtherService = { serviceId: presence.serviceId, host: presence.host, pid: presence.pid, startedAtEpochMs: presence.startedAtEpochMs, serving: presence.serving }
    if (outranks(other, { ...self, serving: this.serving })) {
      const outranked = this.outranked
      this.outranked = undefined
      outranked?.(other)
      return
    }
    // The other one gives way: tell it at once rather than at the next heartbeat.
    if (this.outranked !== undefined) this.announce()
  }

  private announce(): void {
    const { self, transport } = this.options
    try {
      transport.publish(this.subjects.presence, this.codec.encode('presence', { ...self, serving: this.serving }))
    } catch (error) {
      this.options.log.debug(`coordinator service ${self.serviceId} could not publish its presence: ${errorMessage(error)}`)
    }
  }
}

/** Whether `a` keeps the namespace over `b`: serving first, then the earlier start, then the smaller id. */
export function outranks(a: OtherService, b: OtherService): boolean {
  if (a.serving !== b.serving) return a.serving
  if (a.startedAtEpochMs !== b.startedAtEpochMs) return a.startedAtEpochMs < b.startedAtEpochMs
  return a.serviceId < b.serviceId
}

/** Why this service leaves, naming the one that stays and how to run two. */
export function duplicateServiceMessage(other: OtherService, self: ServiceIdentity, namespace: Pick<LoadspecConfig, 'clusterId' | 'agentGroup'>): string {
  return (
    `another coordinator service ${other.serving ? 'serves' : 'started earlier on'} ClusterId "${namespace.clusterId}" / AgentGroup "${namespace.agentGroup}": ` +
    `${other.serviceId} (host ${other.host}, pid ${other.pid}), up since ${new Date(other.startedAtEpochMs).toISOString()}; ` +
    `this one (${self.serviceId}, host ${self.host}, pid ${self.pid}) leaves, so the two do not compete for agents and sessions. ` +
    'To run two services, give each its own ClusterId or AgentGroup (and its agents and clients the same)'
  )
}
