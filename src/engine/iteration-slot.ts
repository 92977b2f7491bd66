import {
  stepRecorderOf,
  type IterationContext,
  type Logger,
  type Partition,
  type RandomSource,
  type ScenarioInfo,
  type StepHost,
} from './context.js'
import type { StepRecorderLike } from './recording.js'
import {
  iterationServices,
  type Abortable,
  type IterationServices,
  type IterationServicesHost,
  type ScenarioResources,
} from './scenario-resources.js'

/** What a slot needs from the scenario that runs it. */
export interface SlotOwner {
  readonly scenarioName: string
  readonly logger: Logger
  readonly random: RandomSource
  readonly partition: Partition
  readonly scenarioData: Record<string, unknown>
  readonly resources: ScenarioResources
  stepRecorder(stepName: string): StepRecorderLike
  stopScenario(scenarioName: string, reason: string): void
  stopCurrentTest(reason: string): void
}

/**
 * One context object per copy (closed model) or in-flight slot (open
 * model), reused from iteration to iteration so the hot path allocates
 * nothing for it. The AbortController and the `data` bag are made only when
 * a handler asks for them.
 */
export class IterationSlot implements IterationContext, StepHost, IterationServicesHost, IterationServices {
  invocationNumber = 0
  readonly scenarioInfo: ScenarioInfo
  readonly scenarioInstanceData: Record<string, unknown> = {}
  /** performance.now() the latency is measured from: the intended start in open models. */
  latencyOriginMs = 0
  actualStartMs = 0
  /**
   * The current iteration's outcome is recorded, or there is no iteration:
   * a timeout or an interruption settles it early, and the handler's own
   * result is then ignored.
   */
  settled = true
  /** A timed-out closed-model copy whose place was given to a fresh copy. */
  abandoned = false
  private controller: AbortController | undefined
  private dataBag: Record<string, unknown> | undefined
  private aborted = false
  private abortReason: unknown = undefined
  // One watcher covers the usual one request at a time; the array only appears for requests made in parallel.
  private watcher: Abortable | undefined
  private moreWatchers: Abortable[] | undefined

  constructor(
    private readonly owner: SlotOwner,
    instanceNumber: number,
  ) {
    this.scenarioInfo = {
      scenarioName: owner.scenarioName,
      instanceNumber,
      instanceId: `${owner.scenarioName}_${instanceNumber}`,
    }
  }

  begin(invocationNumber: number, latencyOriginMs: number, actualStartMs: number): void {
    this.invocationNumber = invocationNumber
    this.latencyOriginMs = latencyOriginMs
    this.actualStartMs = actualStartMs
    this.settled = false
    this.controller = undefined
    this.dataBag = undefined
    this.aborted = false
    this.abortReason = undefined
    // Requests a previous iteration left behind are no longer this iteration's to cancel.
    this.watcher = undefined
    this.moreWatchers = undefined
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      // Made on first use: most handlers never ask, and the hot path stays allocation-free.
      this.controller = new AbortController()
      if (this.aborted) this.controller.abort(this.abortReason)
    }
    return this.controller.signal
  }

  get data(): Record<string, unknown> {
    return (this.dataBag ??= {})
  }

  get scenarioData(): Record<string, unknown> {
    return this.owner.scenarioData
  }

  get logger(): Logger {
    return this.owner.logger
  }

  get random(): RandomSource {
    return this.owner.random
  }

  get partition(): Partition {
    return this.owner.partition
  }

  get [iterationServices](): IterationServices {
    return this
  }

  get scenarioResources(): ScenarioResources {
    return this.owner.resources
  }

  abort(reason: unknown): void {
    if (this.aborted) return
    this.aborted = true
    this.abortReason = reason
    this.controller?.abort(reason)
    const watcher = this.watcher
    const more = this.moreWatchers
    this.watcher = undefined
    this.moreWatchers = undefined
    watcher?.abort(reason)
    if (more !== undefined) for (const each of more) each.abort(reason)
  }

  watchAbort(abortable: Abortable): void {
    if (this.aborted) abortable.abort(this.abortReason)
    else if (this.watcher === undefined) this.watcher = abortable
    else (this.moreWatchers ??= []).push(abortable)
  }

  unwatchAbort(abortable: Abortable): void {
    if (this.watcher === abortable) {
      this.watcher = undefined
      return
    }
    const more = this.moreWatchers
    if (more === undefined) return
    const index = more.indexOf(abortable)
    if (index >= 0) more.splice(index, 1)
  }

  stopScenario(scenarioName: string, reason: string): void {
    this.owner.stopScenario(scenarioName, reason)
  }

  stopCurrentTest(reason: string): void {
    this.owner.stopCurrentTest(reason)
  }

  [stepRecorderOf](stepName: string): StepRecorderLike {
    return this.owner.stepRecorder(stepName)
  }
}
