import { Agent, interceptors, type Dispatcher } from 'undici'
import type { ScenarioResource, ScenarioResources } from '../engine/scenario-resources.js'

export interface PoolSettings {
  /** Connections per origin; undefined = the scenario's concurrency. */
  readonly connections: number | undefined
  readonly pipelining: number | undefined
  readonly connectTimeoutMs: number | undefined
  readonly keepAliveTimeoutMs: number | undefined
}

/**
 * One client's connections for one scenario on one node: an undici Agent,
 * which keeps a keep-alive Pool per origin. It lives in the scenario's
 * resources, so it is created on the first request and destroyed when the
 * scenario's run on this node ends; nothing outlives a run, and a warm-up
 * hands its open connections to the measurement.
 */
export class ScenarioPools implements ScenarioResource {
  readonly agent: Agent
  private redirecting: Dispatcher | undefined

  constructor(settings: PoolSettings, concurrency: number) {
    this.agent = new Agent({
      connections: settings.connections ?? concurrency,
      ...(settings.pipelining === undefined ? {} : { pipelining: settings.pipelining }),
      ...(settings.keepAliveTimeoutMs === undefined ? {} : { keepAliveTimeout: settings.keepAliveTimeoutMs }),
      ...(settings.connectTimeoutMs === undefined ? {} : { connect: { timeout: settings.connectTimeoutMs } }),
    })
  }

  /** Requests that follow redirects go through undici's redirect interceptor; the rest skip its per-request copying. */
  dispatcher(followsRedirects: boolean): Dispatcher {
    if (!followsRedirects) return this.agent
    return (this.redirecting ??= this.agent.compose(interceptors.redirect()))
  }

  dispose(): Promise<void> {
    // The run is over: whatever is still in flight was already recorded as interrupted.
    return this.agent.destroy()
  }
}

/** Makes the pool factory a client hands to ScenarioResources.use once, not a closure per request. */
export function poolFactory(settings: PoolSettings): (resources: ScenarioResources) => ScenarioPools {
  return (resources) => new ScenarioPools(settings, resources.concurrency)
}
