/**
 * The coordinator's own scenarios (CoordinatorTargetScenarios): run through
 * the same gate as an agent's (inits, then a wait for the common start),
 * stopped with the session. With no scenarios of its own it is ready and
 * finished at once.
 */
import type { Partition } from '../../engine/context.js'
import type { NodeRunOutput } from '../../engine/node-run.js'
import type { Scenario } from '../../engine/scenario.js'
import type { SerializedScenarioStats } from '../../stats/types.js'
import { runGatedNode, StartGate } from '../gated-node-run.js'

export const ALONE: Partition = { number: 0, count: 1 }

export interface LocalNodeEvents {
  /** Every init has run (deferred to a microtask: it may fire while the session still sets up). */
  onReady(): void
  onFinished(): void
  onInterimStats(stats: readonly SerializedScenarioStats[]): void
  /** An init failed: the user's error, passed on as it is. */
  onFailed(error: unknown): void
}

export class LocalNode {
  ready = false
  finished = false
  readonly gate = new StartGate()
  private readonly stopController = new AbortController()

  constructor(readonly scenarios: readonly Scenario[]) {}

  get hasLoad(): boolean {
    return this.scenarios.length > 0
  }

  /** Runs to the end; undefined when an init failed (reported through onFailed). */
  async run(options: { readonly seriesIntervalMs: number; readonly interimIntervalMs: number }, events: LocalNodeEvents): Promise<NodeRunOutput | undefined> {
    try {
      return await runGatedNode(this.scenarios, this.gate, {
        partition: ALONE,
        seriesIntervalMs: options.seriesIntervalMs,
        interimIntervalMs: options.interimIntervalMs,
        stopSignal: this.stopController.signal,
        onReady: () => {
          this.ready = true
          queueMicrotask(() => events.onReady())
        },
        onInterimStats: (stats) => events.onInterimStats(stats),
      })
    } catch (error) {
      events.onFailed(error)
      return undefined
    } finally {
      this.finished = true
      queueMicrotask(() => events.onFinished())
    }
  }

  stop(reason: unknown): void {
    this.stopController.abort(reason)
  }
}
