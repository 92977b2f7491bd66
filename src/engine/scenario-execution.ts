import { performance } from 'node:perf_hooks'
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
import { ScenarioResources } from './scenario-resources.js'
import type { Scenario, ScenarioHandler } from './scenario.js'
import { stepFailureOf } from './step.js'
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

/** What a closed-model copy loop checks before each iteration. */
export interface CopyState {
  /** False once the copy is retired (ramp down, or replaced after a timeout). */
  readonly active: boolean
}

/**
 * How long closed-model copies may run iterations back to back before they
 * let the event loop take a turn. A handler that never waits on I/O (a
 * no-op, cached work, an async function that only awaits resolved promises)
 * otherwise runs on microtasks forever, and no timer fires: not the end of
 * the phase, not the timeout sweep, not another scenario's schedule.
 */
const TURN_BUDGET_MS = 2

/**
 * One scenario running on this node: its slots, its in-flight iterations,
 * its timeouts and its stop. Schedulers decide *when* iterations start;
 * this decides how one runs and what gets recorded.
 *
 * The per-iteration path (start, handler, record) allocates nothing of its
 * own: slots are reused, a closed-model copy runs its iterations in one
 * loop (no promise per iteration besides the handler's), and in-flight
 * iterations are counted rather than kept in a set.
 */
export class ScenarioExecution implements SlotOwner {
  readonly scenarioName: string
  /** Iterations started whose outcome is not recorded yet. */
  inFlightCount = 0
  /**
   * Open model: handlers called that have not returned yet. A timed-out
   * iteration is recorded at once but keeps its place here until its
   * handler returns, so maxConcurrency holds even for handlers that ignore
   * ctx.signal.
   */
  runningCount = 0
  /** performance.now() of the first stop (stopScenario, stopCurrentTest, the run's stop); undefined while not stopped. */
  haltedAtMs: number | undefined = undefined
  /** performance.now() at the start of the current phase; schedules are relative to it. */
  phaseStartMs = 0
  stopReason: unknown = undefined
  private haltReason: unknown = undefined
  /** Closed-model schedulers listen for copies given up on after a timeout. */
  onAbandon: ((slot: IterationSlot) => void) | undefined
  readonly wake = new Wakeable()
  readonly resources: ScenarioResources
  private readonly handler: ScenarioHandler
  private readonly openModel: boolean
  private invocationCount = 0
  private iterationsLeft = Infinity
  /** Every slot that may hold an in-flight iteration: what the timeout sweep and the final interruption walk. */
  private readonly slots: IterationSlot[] = []
  private readonly freeSlots: IterationSlot[] = []
  private slotCount = 0
  private readonly drained = new Wakeable()
  private turnStartMs = 0
  private turnGate: Promise<void> | undefined

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
    this.resources = new ScenarioResources(plan.model === 'open' ? scenario.settings.maxConcurrency : plan.maxCopies)
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
   * aborted and counted as interrupted. `onLoadEnd` hears when the
   * scheduler was done, before that drain.
   */
  async runPhase(
    scheduler: PhaseScheduler,
    phaseEndMs: number,
    iterationLimit: number | undefined,
    onLoadEnd?: (atMs: number) => void,
  ): Promise<void> {
    // A stop that came before (or between) phases still holds: the phase then starts nothing.
    this.stopReason = this.haltReason
    this.iterationsLeft = iterationLimit ?? Infinity
    this.resources.claim()
    this.phaseStartMs = performance.now()
    this.turnStartMs = this.phaseStartMs
    const sweeper = this.startTimeoutSweeper()
    try {
      await scheduler.run(this, phaseEndMs)
      onLoadEnd?.(performance.now())
      this.endPhase(new PhaseEndedError(this.scenarioName))
      await this.drain(this.scenario.settings.gracefulStopMs)
    } finally {
      clearInterval(sweeper)
      this.resources.releaseSoon()
    }
  }

  /**
   * Stops the scenario for good (stopScenario, stopCurrentTest, the run's
   * stop signal): no iteration starts after it, in this phase or a later one;
   * in-flight ones get the graceful stop period.
   */
  stop(reason: unknown): void {
    if (this.haltReason === undefined) {
      this.haltReason = reason
      this.haltedAtMs = performance.now()
    }
    this.endPhase(reason)
  }

  private endPhase(reason: unknown): void {
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
    const slot = new IterationSlot(this, this.slotCount++)
    this.slots.push(slot)
    return slot
  }

  /** A closed-model copy is done with its slot (retired, or its loop ended). */
  releaseSlot(slot: IterationSlot): void {
    if (!slot.settled) return // still in flight: the sweep and the final interruption need to see it
    const index = this.slots.indexOf(slot)
    if (index >= 0) this.slots.splice(index, 1)
  }

  /** Open model: starts an iteration whose latency counts from `intendedStartMs`. */
  launch(intendedStartMs: number): void {
    const slot = this.freeSlots.pop() ?? this.newSlot()
    void this.runIteration(slot, intendedStartMs)
  }

  /**
   * Open model: runs one iteration and records its outcome exactly once.
   * Its start lag is recorded as it starts, so every started iteration has
   * one, whatever its outcome. Never rejects.
   */
  async runIteration(slot: IterationSlot, latencyOriginMs: number): Promise<void> {
    const startMs = performance.now()
    this.begin(slot, latencyOriginMs, startMs)
    this.runningCount++
    this.recorder.recordStartLag(toUs(startMs - latencyOriginMs))
    let outcome: unknown
    let threw = false
    try {
      outcome = this.handler(slot)
      if (isThenable(outcome)) outcome = await outcome
    } catch (error) {
      threw = true
      outcome = error
    }
    this.finish(slot, threw, outcome, performance.now())
    this.runningCount--
    this.freeSlots.push(slot)
  }

  /**
   * Closed model: one copy running iterations back to back on its slot
   * until it is retired, the scenario stops or the iteration budget is used
   * up. One loop per copy rather than an async call per iteration: the
   * only promise an iteration costs is the handler's own.
   */
  async runCopy(slot: IterationSlot, copy: CopyState): Promise<void> {
    while (copy.active && this.stopReason === undefined && this.takeIteration()) {
      const startMs = performance.now()
      this.begin(slot, startMs, startMs)
      let outcome: unknown
      let threw = false
      try {
        outcome = this.handler(slot)
        if (isThenable(outcome)) outcome = await outcome
      } catch (error) {
        threw = true
        outcome = error
      }
      const endMs = performance.now()
      this.finish(slot, threw, outcome, endMs)
      if (slot.abandoned) return
      if (endMs - this.turnStartMs >= TURN_BUDGET_MS) await this.nextTurn()
    }
  }

  private begin(slot: IterationSlot, latencyOriginMs: number, actualStartMs: number): void {
    slot.begin(++this.invocationCount, latencyOriginMs, actualStartMs)
    this.inFlightCount++
  }

  /** Records the outcome (what the handler returned, or threw), unless a timeout or an interruption already did. */
  private finish(slot: IterationSlot, threw: boolean, outcome: unknown, endMs: number): void {
    if (slot.settled) return
    const customLatencyMs = threw ? this.recordThrown(outcome, endMs - slot.latencyOriginMs) : this.recordResult(outcome, slot.latencyOriginMs, endMs)
    this.settle(slot, customLatencyMs ?? endMs - slot.actualStartMs)
  }

  /** The iteration's outcome is recorded: the open model records its service time too, for every outcome. */
  private settle(slot: IterationSlot, serviceMs: number): void {
    slot.settled = true
    if (this.openModel) this.recorder.recordServiceTime(toUs(serviceMs))
    if (--this.inFlightCount === 0) this.drained.wake()
  }

  /** Resolves on the event loop's next check phase; every copy that waits shares one promise. */
  private nextTurn(): Promise<void> {
    return (this.turnGate ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        this.turnGate = undefined
        this.turnStartMs = performance.now()
        resolve()
      })
    }))
  }

  /** Records what a handler returned; gives the custom latency it recorded, if any (it is the service time too). */
  private recordResult(result: unknown, latencyOriginMs: number, endMs: number): number | undefined {
    const recorder = this.recorder
    if (result === undefined) {
      recorder.recordOk(toUs(endMs - latencyOriginMs), 0, DEFAULT_OK_STATUS, '')
      return undefined
    }
    if (!isResponse(result)) {
      recorder.recordFail(toUs(endMs - latencyOriginMs), 0, INVALID_RESPONSE_STATUS, invalidResultMessage(`scenario "${this.scenarioName}"`, result))
      return undefined
    }
    const problem = responseProblem(result)
    if (problem !== undefined) {
      recorder.recordFail(toUs(endMs - latencyOriginMs), 0, INVALID_RESPONSE_STATUS, `scenario "${this.scenarioName}" returned a Response whose ${problem}`)
      return undefined
    }
    const custom = result.customLatencyMs
    const latencyUs = custom === undefined ? toUs(endMs - latencyOriginMs) : toUs(custom)
    if (result.isError) recorder.recordFail(latencyUs, result.sizeBytes, result.statusCode, result.message)
    else recorder.recordOk(latencyUs, result.sizeBytes, result.statusCode, result.message)
    return custom
  }

  private recordThrown(thrown: unknown, latencyMs: number): undefined {
    const stepFailure = stepFailureOf(thrown)
    if (stepFailure !== undefined) {
      const { response } = stepFailure
      this.recorder.recordFail(toUs(latencyMs), response.sizeBytes, response.statusCode, response.message || stepFailure.message)
      return undefined
    }
    this.recorder.recordFail(toUs(latencyMs), 0, EXCEPTION_STATUS, errorMessage(thrown))
    return undefined
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
    if (this.inFlightCount === 0) return
    const nowMs = performance.now()
    // A copy given up on leaves `slots` below, so walk a copy of the list.
    for (const slot of [...this.slots]) {
      if (slot.settled || nowMs - slot.actualStartMs < timeoutMs) continue
      this.settleEarly(slot, TIMEOUT_STATUS, `iteration exceeded the ${timeoutMs} ms iteration timeout`, nowMs)
      slot.abort(new IterationTimeoutError(this.scenarioName, timeoutMs))
      if (!this.openModel) {
        slot.abandoned = true
        this.forgetSlot(slot)
        this.onAbandon?.(slot)
      }
    }
  }

  private settleEarly(slot: IterationSlot, status: string, message: string, nowMs: number): void {
    this.recorder.recordFail(toUs(nowMs - slot.latencyOriginMs), 0, status, message)
    this.settle(slot, nowMs - slot.actualStartMs)
  }

  private forgetSlot(slot: IterationSlot): void {
    const index = this.slots.indexOf(slot)
    if (index >= 0) this.slots.splice(index, 1)
  }

  /** Waits for in-flight iterations up to `graceMs`, then aborts and counts the rest as interrupted. */
  private async drain(graceMs: number): Promise<void> {
    if (this.inFlightCount > 0) {
      const graceEndMs = performance.now() + graceMs
      while (this.inFlightCount > 0) {
        const leftMs = graceEndMs - performance.now()
        if (leftMs <= 0) break
        await this.drained.sleep(leftMs)
      }
    }
    if (this.inFlightCount === 0) return
    const nowMs = performance.now()
    for (const slot of this.slots) {
      if (slot.settled) continue
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

