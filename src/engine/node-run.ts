import { compilePlan } from '../simulations/plan.js'
import type { LoadPlan } from '../simulations/types.js'
import { initHistograms } from '../stats/histogram.js'
import { ScenarioRecorder } from '../stats/recorder.js'
import { saturationWarnings } from '../stats/saturation.js'
import type { SerializedScenarioStats } from '../stats/types.js'
import { ClosedScheduler } from './closed-scheduler.js'
import {
  createLogger,
  createRandomSource,
  type LogSink,
  type Partition,
  type ScenarioInitContext,
} from './context.js'
import { GeneratorMeter } from './generator-meter.js'
import { emptyWindowAt, MeasuredWindowClock } from './measured-window.js'
import { errorMessage } from './outcome.js'
import { OpenScheduler } from './open-scheduler.js'
import { ScenarioExecution, type PhaseScheduler } from './scenario-execution.js'
import { defaultSeriesIntervalMs, SeriesCollector, type SeriesSnapshot } from './series-collector.js'
import type { DelaySummary, LoadGeneratorUsage, SeriesPoint, SerializedTimeSeries } from '../result/result.js'
import { delaySummaryMs } from '../stats/build.js'
import { mergeDistributions } from '../stats/distribution.js'
import type { Scenario } from './scenario.js'

export interface NodeRunOptions {
  readonly partition?: Partition
  /** Aborting it stops every scenario (graceful), as stopCurrentTest does. */
  readonly stopSignal?: AbortSignal
  /** Wall-clock time (Date.now()) at which load starts, so the nodes of a cluster start together. */
  readonly startAtEpochMs?: number
  /**
   * Called every `interimIntervalMs` while load runs (cluster progress, live
   * console, a lost agent's figures) with the cumulative stats of every
   * scenario in its measured phase: warm-up excluded (a scenario still
   * warming up is left out), `durationMs` the measured window so far, so
   * rps is right at any moment. `elapsedMs` is the time since load began.
   */
  readonly onInterimStats?: (stats: SerializedScenarioStats[], elapsedMs: number) => void
  readonly interimIntervalMs?: number
  /**
   * Called with each time-series point as it is taken: per-interval stats
   * (exact counts, sums, min and max of that interval alone), warm-up
   * excluded, the same points the result's time series holds.
   */
  readonly onSeriesPoint?: (point: SeriesPoint) => void
  /** Called once every init has succeeded, just before waiting for the start time. */
  readonly onReady?: () => void
  readonly logSink?: LogSink
  readonly seed?: number
  /** Length of one time-series interval; by default chosen from the longest plan. */
  readonly seriesIntervalMs?: number
}

export interface NodeRunOutput {
  /** Final stats of every scenario that had load (empty scenarios have none). */
  readonly stats: SerializedScenarioStats[]
  readonly warnings: string[]
  readonly startedAtEpochMs: number
  readonly durationMs: number
  readonly timeSeries: SerializedTimeSeries
  /** What running the load cost this process (CPU, event loop) over the load's wall time; absent when no load ran. */
  readonly generator?: LoadGeneratorUsage
}

/** An init hook failed: nothing ran, every clean hook did. */
export class ScenarioInitError extends Error {
  override readonly name = 'ScenarioInitError'
  constructor(
    readonly scenarioName: string,
    override readonly cause: unknown,
    readonly warnings: readonly string[],
  ) {
    super(`Scenario "${scenarioName}" init failed: ${errorMessage(cause)}`)
  }
}

interface PreparedScenario {
  readonly scenario: Scenario
  readonly initContext: ScenarioInitContext
  readonly plan: LoadPlan | undefined
  initStarted: boolean
}

interface RunningScenario {
  readonly execution: ScenarioExecution
  readonly recorder: ScenarioRecorder
  /** Set when the measured phase begins (after the warm-up). */
  clock: MeasuredWindowClock | undefined
}

/**
 * Runs scenarios on this node: every init, then all the load together
 * (warm-up, then the measured phase), then every clean — clean always runs.
 * Single-node runs and cluster agents both come through here.
 */
export async function runScenariosOnNode(scenarios: readonly Scenario[], options: NodeRunOptions = {}): Promise<NodeRunOutput> {
  await initHistograms()
  return new NodeRun(scenarios, options).run()
}

class NodeRun {
  private readonly warnings: string[] = []
  private readonly stopAll = new AbortController()
  private readonly prepared: PreparedScenario[]
  private readonly running = new Map<string, RunningScenario>()

  constructor(
    scenarios: readonly Scenario[],
    private readonly options: NodeRunOptions,
  ) {
    const partition = options.partition ?? { number: 0, count: 1 }
    const seed = options.seed ?? Date.now()
    this.prepared = scenarios.map((scenario, index) => ({
      scenario,
      initContext: {
        scenarioInfo: { scenarioName: scenario.name, instanceNumber: 0, instanceId: `${scenario.name}_init` },
        partition,
        logger: createLogger(scenario.name, options.logSink),
        random: createRandomSource(seed + index * 7919),
        signal: this.stopAll.signal,
        scenarioData: {},
      },
      plan: scenario.handler === undefined ? undefined : compilePlan(scenario.settings.loadSimulations),
      initStarted: false,
    }))
  }

  async run(): Promise<NodeRunOutput> {
    const { stopSignal } = this.options
    const forwardStop = (): void => this.stopAll.abort(stopSignal?.reason ?? new Error('run stopped'))
    if (stopSignal?.aborted) forwardStop()
    stopSignal?.addEventListener('abort', forwardStop, { once: true })
    try {
      await this.runInits()
      this.options.onReady?.()
      await waitUntil(this.options.startAtEpochMs, this.stopAll.signal)
      return await this.runLoad()
    } finally {
      stopSignal?.removeEventListener('abort', forwardStop)
      await this.runCleans()
      for (const { recorder } of this.running.values()) recorder.destroy()
    }
  }

  private async runInits(): Promise<void> {
    for (const entry of this.prepared) {
      if (entry.scenario.init === undefined) continue
      // Marked before the call: a half-done init still gets its clean.
      entry.initStarted = true
      try {
        await entry.scenario.init(entry.initContext)
      } catch (error) {
        throw new ScenarioInitError(entry.scenario.name, error, this.warnings)
      }
    }
  }

  private async runLoad(): Promise<NodeRunOutput> {
    const startedAtEpochMs = Date.now()
    const startMs = performance.now()
    const meter = new GeneratorMeter()
    for (const entry of this.prepared) {
      if (entry.plan !== undefined) this.running.set(entry.scenario.name, this.createRunning(entry, entry.plan))
    }
    const running = [...this.running.values()]
    const stopEverything = (): void => {
      for (const { execution } of running) execution.stop(this.stopAll.signal.reason)
    }
    if (this.stopAll.signal.aborted) stopEverything()
    this.stopAll.signal.addEventListener('abort', stopEverything, { once: true })
    const interimTimer = this.startInterimStats(running, startMs)
    const series = new SeriesCollector(
      running.map((entry) => ({
        scenarioName: entry.recorder.scenarioName,
        snapshot: (nowMs: number): SeriesSnapshot | undefined => {
          if (entry.clock === undefined) return undefined
          // Scalars only: the interval's histograms come with its extremes, recorded as the interval ran.
          const stats = serializeAt(entry, nowMs, startMs, false)
          return { stats, extremes: entry.recorder.takeExtremes() }
        },
      })),
      this.options.seriesIntervalMs ?? defaultSeriesIntervalMs(longestPlanMs(running)),
      startMs,
      this.options.onSeriesPoint,
    )
    series.start()
    let timeSeries: SerializedTimeSeries
    try {
      await Promise.all(running.map((entry) => this.runPhases(entry, startMs)))
    } finally {
      meter.stop()
      if (interimTimer !== undefined) clearInterval(interimTimer)
      timeSeries = series.finish()
      this.stopAll.signal.removeEventListener('abort', stopEverything)
    }
    const endMs = performance.now()
    const stats = running.map((entry) => serializeAt(entry, endMs, startMs))
    for (const scenarioStats of stats) this.warnings.push(...saturationWarnings(scenarioStats))
    return { stats, warnings: this.warnings, startedAtEpochMs, durationMs: endMs - startMs, timeSeries, generator: meter.read(startLagOfNode(stats)) }
  }

  private createRunning(entry: PreparedScenario, plan: LoadPlan): RunningScenario {
    const name = entry.scenario.name
    const recorder = new ScenarioRecorder(name, { openModel: plan.model === 'open' })
    const execution = new ScenarioExecution(entry.scenario, plan, recorder, {
      logger: entry.initContext.logger,
      random: entry.initContext.random,
      partition: entry.initContext.partition,
      scenarioData: entry.initContext.scenarioData,
      stopScenario: (target, reason) => this.stopScenario(name, target, reason),
      stopCurrentTest: (reason) => {
        this.warnings.push(`run stopped by scenario "${name}": ${reason}`)
        this.stopAll.abort(new Error(`stopCurrentTest: ${reason}`))
      },
    })
    return { execution, recorder, clock: undefined }
  }

  private stopScenario(caller: string, target: string, reason: string): void {
    const running = this.running.get(target)
    if (running === undefined) {
      this.running.get(caller)?.execution.logger.warn(`stopScenario("${target}"): no such scenario runs on this node`)
      return
    }
    this.warnings.push(`scenario "${target}" stopped by scenario "${caller}": ${reason}`)
    running.execution.stop(new Error(`stopScenario: ${reason}`))
  }

  private async runPhases(entry: RunningScenario, loadStartMs: number): Promise<void> {
    const { execution } = entry
    const plan = execution.plan
    const { warmUpMs } = execution.scenario.settings
    const newScheduler = (): PhaseScheduler => (plan.model === 'open' ? new OpenScheduler(plan) : new ClosedScheduler(plan))
    const iterationLimit = plan.model === 'closed' ? plan.iterationLimit : undefined
    if (warmUpMs > 0) {
      await execution.runPhase(newScheduler(), warmUpMs, iterationLimit)
      // A warm-up measures nothing that counts.
      entry.recorder.reset()
      if (this.stopAll.signal.aborted) return
    }
    const clock = new MeasuredWindowClock(plan, performance.now(), loadStartMs, () => execution.haltedAtMs)
    entry.clock = clock
    // An iteration-count plan's window ends with its last iteration; any other ends with its plan (or a stop).
    await execution.runPhase(newScheduler(), Infinity, iterationLimit, iterationLimit === undefined ? undefined : (atMs) => clock.close(atMs))
  }

  private startInterimStats(running: readonly RunningScenario[], startMs: number): NodeJS.Timeout | undefined {
    const onInterim = this.options.onInterimStats
    if (onInterim === undefined) return undefined
    const timer = setInterval(() => {
      const nowMs = performance.now()
      const measuring = running.filter((entry) => entry.clock !== undefined)
      onInterim(
        measuring.map((entry) => serializeAt(entry, nowMs, startMs)),
        nowMs - startMs,
      )
    }, this.options.interimIntervalMs ?? 1000)
    timer.unref()
    return timer
  }

  private async runCleans(): Promise<void> {
    for (const entry of this.prepared) {
      if (entry.scenario.clean === undefined) continue
      if (entry.scenario.init !== undefined && !entry.initStarted) continue
      try {
        await entry.scenario.clean(entry.initContext)
      } catch (error) {
        this.warnings.push(`scenario "${entry.scenario.name}" clean failed: ${errorMessage(error)}`)
      }
    }
  }
}

/** A scenario's stats at `nowMs`, over its measured window so far (empty if it never got past its warm-up). */
function serializeAt(entry: RunningScenario, nowMs: number, loadStartMs: number, histograms = true): SerializedScenarioStats {
  const { durationMs, window } = entry.clock?.at(nowMs) ?? emptyWindowAt(nowMs - loadStartMs)
  return entry.recorder.serialize(durationMs, window, { histograms })
}

/** Start lag of every open-model iteration of the node, all scenarios together. */
function startLagOfNode(stats: readonly SerializedScenarioStats[]): DelaySummary | undefined {
  const lags = stats.flatMap((scenario) => (scenario.startLagUs !== undefined && scenario.startLagUs.count > 0 ? [scenario.startLagUs] : []))
  return lags.length === 0 ? undefined : delaySummaryMs(mergeDistributions(lags, 'start lag of the node'), 'start lag of the node')
}

function longestPlanMs(running: readonly RunningScenario[]): number {
  let longestMs = 0
  for (const { execution } of running) {
    longestMs = Math.max(longestMs, execution.plan.durationMs + execution.scenario.settings.warmUpMs)
  }
  return longestMs
}

async function waitUntil(epochMs: number | undefined, signal: AbortSignal): Promise<void> {
  if (epochMs === undefined) return
  const waitMs = epochMs - Date.now()
  if (waitMs <= 0 || signal.aborted) return
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, waitMs)
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
