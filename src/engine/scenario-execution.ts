import type { LoadPlan } from '../simulations/types.js'
import type { Logger, Partition, RandomSource } from './context.js'
import { IterationSlot, type SlotOwner } from './iteration-slot.js'
import {
  errorMessage,
  EXCEPTION_STATUS,
  INTERRUPTED_STATUS,
  INVALID_RESPONSE_STATUS,
  invalidResultMessage,
  TIMEOUT_STATUS,
} from './outcome.js'
import type { ScenarioRecorderLike, StepRecorderLike } from './recording.js'
import { DEFAULT_OK_STATUS, isResponse, responseProblem } from './response.js'
import type { Scenario, ScenarioHandler } from './scenario.js'
import { StepFailedError } from './step.js'
import { Wakeable } from './wakeable.js'

export interface ExecutionEnvironment {
  readonly logger: Logger
  readonly random: RandomSource
  readonly partition: Partition
  readonly scenarioData: Record<string, unknown>
  stopScenario(scenarioName: string, reason: string): void
  stopCurrentTest(reason: string): void
}

/** A load model's scheduler: starts iterations for one phase and resolves when it has no more to start. */
export interface PhaseScheduler {
  run(execution: ScenarioExecution, phaseEndMs: number): Promise<void>
}

/**
 * One scenario running on this node: its slots, its in-flight iterations,
 * its timeouts and its stop. Schedulers decide *when* iterations start;
 * this decides how one runs and what gets recorded.
 */
export class ScenarioExecution implements SlotOwner {
  readonly scenarioName: string
  readonly inFlight = new Set<IterationSlot>()
  /** performance.now() at the start of the current phase; schedules are relative to it. */
  phaseStartMs = 0
  stopReason: unknown = undefined
  /** Closed-model schedulers listen for copies given up on after a timeout. */
  onAbandon: ((slot: IterationSlot) => void) | undefined
  readonly wake = new Wakeable()
  private readonly handler: ScenarioHandler
  private readonly openModel: boolean
  private invocationCount = 0
  private iterationsLeft = Infinity
  private readonly freeSlots: IterationSlot[] = []
  private slotCount = 0
  private readonly drained = new Wakeable()

  constructor(
    readonly scenario: Scenario,
    readonly plan: LoadPlan,
    readonly recorder: ScenarioRecorderLike,
    private readonly environment: ExecutionEnvironment,
  ) {
    if (scenario.handler === undefined) throw new Error(`Scenario "${scenario.name}" has no handler to run`)
    this.scenarioName = scenario.name
    this.handler = scenario.handler
    this.openModel = plan.model === 'open'
  }

  get logger(): Logger {
    return this.environment.logger
  }
  get random(): RandomSource {
    return this.environment.random
  }
  get partition(): Partition {
    return this.environment.partition
  }
  get scenarioData(): Record<string, unknown> {
    return this.environment.scenarioData
  }
  get stopped(): boolean {
    return this.stopReason !== undefined
  }

  stepRecorder(stepName: string): StepRecorderLike {
    return this.recorder.step(stepName)
  }
  stopScenario(scenarioName: string, reason: string): void {
    this.environment.stopScenario(scenarioName, reason)
  }
  stopCurrentTest(reason: string): void {
    this.environment.stopCurrentTest(reason)
  }

  /**
   * Runs one phase (warm-up or measurement) under `scheduler`, then stops
   * it gracefully: in-flight iterations get `gracefulStopMs`, then are
   * aborted and counted as interrupted.
   */
  async runPhase(scheduler: PhaseScheduler, phaseEndMs: number, iterationLimit: number | undefined): Promise<void> {
    this.stopReason = undefined
    this.iterationsLeft = iterationLimit ?? Infinity
    this.phaseStartMs = performance.now()
    const sweeper = this.startTimeoutSweeper()
    try {
      await scheduler.run(this, phaseEndMs)
      this.stop(new PhaseEndedError(this.scenarioName))
      await this.drain(this.scenario.settings.gracefulStopMs)
    } finally {
      clearInterval(sweeper)
    }
  }

  /** Stops starting iterations; in-flight ones see their signal abort. */
  stop(reason: unknown): void {
    if (this.stopReason !== undefined) return
    this.stopReason = reason
    this.wake.wake()
  }

  /** Takes one iteration from an iteration-count budget; false when none are left. */
  takeIteration(): boolean {
    if (this.iterationsLeft <= 0) return false
    this.iterationsLeft--
    return true
  }

  get iterationsExhausted(): boolean {
    return this.iterationsLeft <= 0
  }

  newSlot(): IterationSlot {
    return new IterationSlot(this, this.slotCount++)
  }

  /** Open model: starts an iteration whose latency counts from `intendedStartMs`. */
  launch(intendedStartMs: number): void {
    const slot = this.freeSlots.pop() ?? this.newSlot()
    void this.runIteration(slot, intendedStartMs)
  }

  /** Runs one iteration and records its outcome exactly once. Never rejects. */
  async runIteration(slot: IterationSlot, latencyOriginMs: number): Promise<void> {
    const actualStartMs = performance.now()
    slot.begin(++this.invocationCount, latencyOriginMs, actualStartMs)
    this.inFlight.add(slot)
    let result: unknown
    let thrown: unknown
    let didThrow = false
    try {
      result = this.handler(slot)
      if (isThenable(result)) result = await result
    } catch (error) {
      didThrow = true
      thrown = error
    }
    const endMs = performance.now()
    this.inFlight.delete(slot)
    if (!slot.settled) {
      slot.settled = true
      if (didThrow) this.recordThrown(thrown, endMs - latencyOriginMs)
      else this.recordResult(result, latencyOriginMs, actualStartMs, endMs)
    }
    if (this.openModel) this.freeSlots.push(slot)
    if (this.inFlight.size === 0) this.drained.wake()
  }

  private recordResult(result: unknown, latencyOriginMs: number, actualStartMs: number, endMs: number): void {
    const recorder = this.recorder
    if (result === undefined) {
      this.recordOpenModelTimes(latencyOriginMs, actualStartMs, endMs, undefined)
      recorder.recordOk(toUs(endMs - latencyOriginMs), 0, DEFAULT_OK_STATUS, '')
      return
    }
    if (!isResponse(result)) {
      recorder.recordFail(toUs(endMs - latencyOriginMs), 0, INVALID_RESPONSE_STATUS, invalidResultMessage(`scenario "${this.scenarioName}"`, result))
      return
    }
    const problem = responseProblem(result)
    if (problem !== undefined) {
      recorder.recordFail(toUs(endMs - latencyOriginMs), 0, INVALID_RESPONSE_STATUS, `scenario "${this.scenarioName}" returned a Response whose ${problem}`)
      return
    }
    const custom = result.customLatencyMs
    const latencyUs = custom === undefined ? toUs(endMs - latencyOriginMs) : toUs(custom)
    this.recordOpenModelTimes(latencyOriginMs, actualStartMs, endMs, custom)
    if (result.isError) recorder.recordFail(latencyUs, result.sizeBytes, result.statusCode, result.message)
    else recorder.recordOk(latencyUs, result.sizeBytes, result.statusCode, result.message)
  }

  private recordOpenModelTimes(latencyOriginMs: number, actualStartMs: number, endMs: number, customLatencyMs: number | undefined): void {
    if (!this.openModel) return
    this.recorder.recordStartLag(toUs(actualStartMs - latencyOriginMs))
    this.recorder.recordServiceTime(customLatencyMs === undefined ? toUs(endMs - actualStartMs) : toUs(customLatencyMs))
  }

  private recordThrown(thrown: unknown, latencyMs: number): void {
    if (thrown instanceof StepFailedError || isStepFailure(thrown)) {
      const { response } = thrown as StepFailedError
      this.recorder.recordFail(toUs(latencyMs), response.sizeBytes, response.statusCode, response.message || thrown.message)
      return
    }
    this.recorder.recordFail(toUs(latencyMs), 0, EXCEPTION_STATUS, errorMessage(thrown))
  }

  private startTimeoutSweeper(): NodeJS.Timeout {
    const timeoutMs = this.scenario.settings.iterationTimeoutMs
    // Checking every in-flight iteration on a tick costs far less than a timer per iteration.
    const sweepEveryMs = Math.min(250, Math.max(5, Math.floor(timeoutMs / 10)))
    const timer = setInterval(() => this.sweepTimeouts(timeoutMs), sweepEveryMs)
    timer.unref()
    return timer
  }

  private sweepTimeouts(timeoutMs: number): void {
    const nowMs = performance.now()
    for (const slot of this.inFlight) {
      if (nowMs - slot.actualStartMs < timeoutMs) continue
      this.settleEarly(slot, TIMEOUT_STATUS, `iteration exceeded the ${timeoutMs} ms iteration timeout`, nowMs)
      slot.abort(new IterationTimeoutError(this.scenarioName, timeoutMs))
      if (!this.openModel) {
        slot.abandoned = true
        this.onAbandon?.(slot)
      }
    }
    if (this.inFlight.size === 0) this.drained.wake()
  }

  private settleEarly(slot: IterationSlot, status: string, message: string, nowMs: number): void {
    slot.settled = true
    this.inFlight.delete(slot)
    this.recorder.recordFail(toUs(nowMs - slot.latencyOriginMs), 0, status, message)
  }

  /** Waits for in-flight iterations up to `graceMs`, then aborts and counts the rest as interrupted. */
  private async drain(graceMs: number): Promise<void> {
    if (this.inFlight.size > 0) {
      const graceEndMs = performance.now() + graceMs
      while (this.inFlight.size > 0) {
        const leftMs = graceEndMs - performance.now()
        if (leftMs <= 0) break
        await this.drained.sleep(leftMs)
      }
    }
    const nowMs = performance.now()
    for (const slot of [...this.inFlight]) {
      this.settleEarly(slot, INTERRUPTED_STATUS, `iteration still running ${graceMs} ms after the scenario stopped`, nowMs)
      slot.abort(this.stopReason)
    }
  }
}

export class PhaseEndedError extends Error {
  override readonly name = 'AbortError'
  constructor(scenarioName: string) {
    super(`scenario "${scenarioName}" stopped`)
  }
}

export class IterationTimeoutError extends Error {
  override readonly name = 'TimeoutError'
  constructor(scenarioName: string, timeoutMs: number) {
    super(`scenario "${scenarioName}": iteration exceeded its ${timeoutMs} ms timeout`)
  }
}

function toUs(ms: number): number {
  return Math.round(ms * 1000)
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
}

/** A StepFailedError from another copy of loadspec (agents load scenarios through Vite). */
function isStepFailure(value: unknown): value is StepFailedError {
  return value instanceof Error && value.name === 'StepFailedError' && isResponse((value as { response?: unknown }).response)
}
