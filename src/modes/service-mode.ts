/**
 * The coordinator service from code, and as `loadspec coordinator` runs it:
 * connect, keep serving sessions until stopped (the stop signal, SIGINT or
 * SIGTERM), then refuse what is queued, stop what runs and leave.
 */
import { hostname } from 'node:os'
import type { LoadspecConfig } from '../config/index.js'
import type { Scenario } from '../engine/scenario.js'
import { selectTargetScenarios } from '../engine/targeting.js'
import { quoteList } from '../cluster/errors.js'
import { consoleClusterLog, type ClusterLog } from '../cluster/log.js'
import { CoordinatorService } from '../cluster/service/coordinator-service.js'
import type { ServiceStatusBody } from '../cluster/service/protocol.js'
import { createTransportFactory } from '../cluster/transport/factory.js'
import { untilStopped } from './until-stopped.js'

export interface CoordinatorServiceHandle {
  readonly serviceId: string
  /** What `loadspec coordinator --status` shows, read in this process. */
  status(): ServiceStatusBody
  /** Refuses queued sessions, stops running ones (their clients get what was measured) and disconnects. */
  stop(reason?: string): Promise<void>
}

/** Starts a coordinator service in this process; it serves until stop(). */
export async function startCoordinatorService(scenarios: readonly Scenario[], config: LoadspecConfig, log: ClusterLog = consoleClusterLog('loadspec coordinator')): Promise<CoordinatorServiceHandle> {
  const loaded = selectTargetScenarios(scenarios, config.targetScenarios)
  const transports = createTransportFactory(config, log)
  const transport = await transports.connect(`loadspec coordinator service ${hostname()}:${process.pid}`)
  const service = new CoordinatorService({ scenarios: loaded, config, transport, log })
  service.start()
  log.info(
    `coordinator service ${service.serviceId} (host ${hostname()}, pid ${process.pid}) serving ClusterId "${config.clusterId}" / AgentGroup "${config.agentGroup}" ` +
      `on ${transport.description}; its own scenarios: ${loaded.length === 0 ? 'none' : quoteList(loaded.map((scenario) => scenario.name))}; waiting for agents and clients`,
  )
  let stopping: Promise<void> | undefined
  return {
    serviceId: service.serviceId,
    status: () => service.status(),
    stop: (reason = 'stopped') =>
      (stopping ??= (async () => {
        await service.stop(reason)
        log.info(`coordinator service ${service.serviceId} stopped (${reason}) after ${service.sessionsServed} session${service.sessionsServed === 1 ? '' : 's'}`)
        await transport.close()
        await transports.close()
      })()),
  }
}

/** Serves until the signal aborts or the process gets SIGINT/SIGTERM. */
export async function runCoordinatorService(scenarios: readonly Scenario[], config: LoadspecConfig, stopSignal?: AbortSignal): Promise<void> {
  const handle = await startCoordinatorService(scenarios, config)
  const stopped = untilStopped(stopSignal)
  await handle.stop(await stopped.reason)
}
