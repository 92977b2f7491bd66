/**
 * Runs a node's scenarios in a cluster session: every init first, then a
 * pause until the coordinator names the start time, then the load.
 *
 * runScenariosOnNode takes its start time up front, but in a cluster the
 * start time can only be chosen once every node has finished its inits
 * (which may seed data for minutes). So the gate rides along as one more,
 * empty scenario placed last: its init runs after every real init, reports
 * "ready", waits for the start command and sleeps until the start time.
 * Load begins as soon as that init returns. Empty scenarios have no load
 * and no stats, so the gate leaves no trace in the results.
 */
import { runScenariosOnNode, ScenarioInitError, type NodeRunOutput } from '../engine/node-run.js'
import type { Partition } from '../engine/context.js'
import { Scenario } from '../engine/scenario.js'
import type { SerializedScenarioStats } from '../stats/types.js'
import type { SeriesPoint } from '../result/result.js'

export const START_GATE_SCENARIO_NAME = 'loadspec:start-gate'

export interface GatedRunOptions {
  readonly partition: Partition
  readonly seriesIntervalMs: number
  readonly interimIntervalMs?: number
  /** Aborting stops the load gracefully (or, before the start, skips it). */
  readonly stopSignal: AbortSignal
  /** Every init has finished; the node waits for the start time. */
  readonly onReady: (initMs: number) => void
  /** The start time has come: load begins now (not called when stopped before the start). */
  readonly onStart?: () => void
  readonly onInterimStats?: (stats: SerializedScenarioStats[], elapsedMs: number) => void
  /** Each time-series point as its interval ends (the last, partial one when the load ends). */
  readonly onSeriesPoint?: (point: SeriesPoint) => void
}

/** One start time for a node: set once, waited for by the gate. */
export class StartGate {
  private startAtEpochMs: number | undefined
  private readonly waiters = new Set<() => void>()
  /** How late load really began behind the agreed time (0 when on time). */
  startDelayMs = 0

  get isOpen(): boolean {
    return this.startAtEpochMs !== undefined
  }

  /** Sets the start time (in this node's clock); later calls are ignored, so a re-sent start is harmless. */
  open(startAtEpochMs: number): void {
    if (this.startAtEpochMs !== undefined) return
    this.startAtEpochMs = startAtEpochMs
    for (const wake of this.waiters) wake()
    this.waiters.clear()
  }

  /** Resolves at the start time, or at once when `signal` aborts (the load is then skipped by the stop). */
  async wait(signal: AbortSignal): Promise<void> {
    if (this.startAtEpochMs === undefined) {
      await new Promise<void>((resolve) => {
        if (signal.aborted) return resolve()
        const wake = (): void => {
          signal.removeEventListener('abort', wake)
          this.waiters.delete(wake)
          resolve()
        }
        this.waiters.add(wake)
        signal.addEventListener('abort', wake, { once: true })
      })
    }
    const startAt = this.startAtEpochMs
    if (signal.aborted || startAt === undefined) return
    await sleep(startAt - Date.now(), signal)
    this.startDelayMs = Math.max(0, Date.now() - startAt)
  }
}

/** Sleeps `ms` (nothing when ms <= 0), or until `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve()
    const done = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/**
 * Runs `scenarios` behind `gate`. With no scenarios it only reports ready
 * and waits. Stopped before the start time, it runs no load at all (cleans
 * still run) and returns an empty output.
 */
export async function runGatedNode(scenarios: readonly Scenario[], gate: StartGate, options: GatedRunOptions): Promise<NodeRunOutput> {
  const initStartMs = performance.now()
  const passGate = async (signal: AbortSignal): Promise<void> => {
    options.onReady(performance.now() - initStartMs)
    await gate.wait(signal)
    // Thrown rather than returned: the engine would otherwise start the load and drop a stop
    // that came before its first phase. As an init failure, it skips the load and runs every clean.
    if (signal.aborted) throw new StoppedBeforeStart()
    options.onStart?.()
  }
  const empty = (warnings: readonly string[]): NodeRunOutput => ({
    stats: [],
    warnings: [...warnings],
    startedAtEpochMs: Date.now(),
    durationMs: 0,
    timeSeries: { intervalMs: options.seriesIntervalMs, points: [] },
  })
  if (scenarios.length === 0) {
    await passGate(options.stopSignal).catch(() => {})
    return empty([])
  }
  const gateScenario = Scenario.empty(START_GATE_SCENARIO_NAME).withInit((ctx) => passGate(ctx.signal))
  try {
    return await runScenariosOnNode([...scenarios, gateScenario], {
      partition: options.partition,
      stopSignal: options.stopSignal,
      seriesIntervalMs: options.seriesIntervalMs,
      ...(options.interimIntervalMs === undefined ? {} : { interimIntervalMs: options.interimIntervalMs }),
      ...(options.onInterimStats === undefined ? {} : { onInterimStats: options.onInterimStats }),
      ...(options.onSeriesPoint === undefined ? {} : { onSeriesPoint: options.onSeriesPoint }),
    })
  } catch (error) {
    if (error instanceof ScenarioInitError && error.cause instanceof StoppedBeforeStart) return empty(error.warnings)
    throw error
  }
}

class StoppedBeforeStart extends Error {
  override readonly name = 'StoppedBeforeStart'
  constructor() {
    super('stopped before the start time')
  }
}
