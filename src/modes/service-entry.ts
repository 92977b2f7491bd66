/**
 * The coordinator service as the package exports it: thin wrappers that load
 * the service (and the cluster code under it) only when called, so importing
 * `loadspec` for a single-node run loads none of it.
 */
import type { LoadspecConfig } from '../config/index.js'
import type { Scenario } from '../engine/scenario.js'
import type { CoordinatorServiceHandle } from './service-mode.js'

export type { CoordinatorServiceHandle } from './service-mode.js'

/** Starts a coordinator service in this process (as `loadspec coordinator` does); it serves until stop(). */
export async function startCoordinatorService(scenarios: readonly Scenario[], config: LoadspecConfig): Promise<CoordinatorServiceHandle> {
  const service = await import('./service-mode.js')
  return service.startCoordinatorService(scenarios, config)
}

/** Serves until the signal aborts or the process gets SIGINT/SIGTERM. */
export async function runCoordinatorService(scenarios: readonly Scenario[], config: LoadspecConfig, stopSignal?: AbortSignal): Promise<void> {
  const service = await import('./service-mode.js')
  return service.runCoordinatorService(scenarios, config, stopSignal)
}
