/**
 * The coordinator service from code, and as `loadspec coordinator` runs it:
 * connect, make sure no other service serves the namespace (service-guard.ts),
 * keep serving sessions until stopped (the stop signal, SIGINT or SIGTERM, or
 * a service that outranks this one), then refuse what is queued, stop what
 * runs and leave.
 */
import { hostname } from 'node:os'
import type { LoadspecConfig } from '../config/index.js'
import type { Scenario } from '../engine/scenario.js'
import { selectTargetScenarios } from '../engine/targeting.js'
import { ClusterError, quoteList } from '../cluster/errors.js'
import { newNodeId } from '../cluster/ids.js'
import { consoleClusterLog, type ClusterLog } from '../cluster/log.js'
import { CoordinatorService } from '../cluster/service/coordinator-service.js'
import type { ServiceStatusBody } from '../cluster/service/protocol.js'
import { duplicateServiceMessage, ServiceGuard, type ServiceIdentity } from '../cluster/service/service-guard.js'
import { createTransportFactory } from '../cluster/transport/factory.js'
import { untilStopped } from './until-stopped.js'

export interface CoordinatorServiceHandle {
  readonly serviceId: string
  /** What `loadspec coordinator --status` shows, read in this process. */
  status(): ServiceStatusBody
  /** Refuses queued sessions, stops running ones (their clients get what was measured) and disconnects. */
  stop(reason?: string): Promise<void>
  /**
   * Resolves, once the service has stopped, if a service that outranks this
   * one is heard on the namespace later (both began at once, or a split
   * broker healed): a `duplicate-service` error naming it.
   */
  readonly displaced: Promise<ClusterError>
}

/**
 * How long a starting service waits for another one's status or presence
 * before it serves: a service on the same broker answers in about a
 * millisecond, so this only has to cover a slow link. A namespace of its
 * own (the local cluster's) needs no wait: `--claim-ms=0`.
 */
export const SERVICE_CLAIM_TIMEOUT_MS = 1000

/**
 * Starts a coordinator service in this process; it serves until stop().
 * Rejects with a `duplicate-service` ClusterError when another service
 * already serves the namespace (or began first).
 */
export async function startCoordinatorService(
  scenarios: readonly Scenario[],
  config: LoadspecConfig,
  log: ClusterLog = consoleClusterLog('loadspec coordinator'),
  claimTimeoutMs = SERVICE_CLAIM_TIMEOUT_MS,
): Promise<CoordinatorServiceHandle> {
  const self: ServiceIdentity = { serviceId: newNodeId('coordinator'), host: hostname(), pid: process.pid, startedAtEpochMs: Date.now() }
  const loaded = selectTargetScenarios(scenarios, config.targetScenarios)
  const transports = createTransportFactory(config, log)
  const transport = await transports.connect(`loadspec coordinator service ${hostname()}:${process.pid}`)
  const guard = new ServiceGuard({ transport, config, self, log })
  const elder = await guard.claim(claimTimeoutMs)
  if (elder !== undefined) {
    guard.close()
    await transport.close()
    await transports.close()
    throw new ClusterError('duplicate-service', duplicateServiceMessage(elder, self, config))
  }
  const service = new CoordinatorService({ scenarios: loaded, config, transport, log, serviceId: self.serviceId, startedAtEpochMs: self.startedAtEpochMs })
  service.start()
  log.info(
    `coordinator service ${service.serviceId} (host ${hostname()}, pid ${process.pid}) serving ClusterId "${config.clusterId}" / AgentGroup "${config.agentGroup}" ` +
      `on ${transport.description}; its own scenarios: ${loaded.length === 0 ? 'none' : quoteList(loaded.map((scenario) => scenario.name))}; waiting for agents and clients`,
  )
  let stopping: Promise<void> | undefined
  const stop = (reason = 'stopped'): Promise<void> =>
    (stopping ??= (async () => {
      guard.close()
      await service.stop(reason)
      log.info(`coordinator service ${service.serviceId} stopped (${reason}) after ${service.sessionsServed} session${service.sessionsServed === 1 ? '' : 's'}`)
      await transport.close()
      await transports.close()
    })())
  const displaced = new Promise<ClusterError>((resolve) =>
    guard.serve((other) => {
      const error = new ClusterError('duplicate-service', duplicateServiceMessage(other, self, config))
      void stop(`another coordinator service, ${other.serviceId} (host ${other.host}, pid ${other.pid}), outranks it`).then(() => resolve(error))
    }),
  )
  return { serviceId: service.serviceId, status: () => service.status(), stop, displaced }
}

/** Serves until the signal aborts or the process gets SIGINT/SIGTERM. */
export async function runCoordinatorService(scenarios: readonly Scenario[], config: LoadspecConfig, stopSignal?: AbortSignal, claimTimeoutMs = SERVICE_CLAIM_TIMEOUT_MS): Promise<void> {
  const handle = await startCoordinatorService(scenarios, config, undefined, claimTimeoutMs)
  const stopped = untilStopped(stopSignal)
  const outcome = await Promise.race([stopped.reason.then((reason) => ({ reason })), handle.displaced.then((error) => ({ error }))])
  stopped.dispose()
  if ('error' in outcome) throw outcome.error
  await handle.stop(outcome.reason)
}
