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

/** What a slot needs from the scenario that runs it. */
export interface SlotOwner {
  readonly scenarioName: string
  readonly logger: Logger
  readonly random: RandomSource
  readonly partition: Partition
  readonly scenarioData: Record<string, unknown>
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
export class IterationSlot implements IterationContext, StepHost {
  invocationNumber = 0
  readonly scenarioInfo: ScenarioInfo
  readonly scenarioInstanceData: Record<string, unknown> = {}
  /** performance.now() the latency is measured from: the intended start in open models. */
  latencyOriginMs = 0
  actualStartMs = 0
  /** The outcome was already recorded (timeout or interruption): the handler's own result is ignored. */
  settled = false
  /** A timed-out closed-model copy whose place was given to a fresh copy. */
  abandoned = false
  private controller: AbortController | undefined
  private dataBag: Record<string, unknown> | undefined

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
  }

  get signal(): AbortSignal {
    // Made on first use: most handlers never ask, and the hot path stays allocation-free.
    this.controller ??= new AbortController()
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

  abort(reason: unknown): void {
    if (this.controller === undefined) this.controller = new AbortController()
    if (!this.controller.signal.aborted) this.controller.abort(reason)
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
