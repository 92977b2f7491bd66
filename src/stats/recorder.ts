/**
 * The hot-path recorder of one scenario on one node. The runner calls the
 * record methods once per iteration; serialize() snapshots everything into
 * the wire form without stopping the recording.
 */
import { DistributionRecorder, toExactValue, type Extremes } from './distribution.js'
import { RequestRecorder, StepRecorder, type CommonExtremes } from './request-recorder.js'
import type { MeasuredWindow, SerializedScenarioStats } from './types.js'

/** Distinct step names per scenario. Step names are meant to be a fixed set, not per-request values. */
export const MAX_STEPS = 1000

export interface ScenarioRecorderOptions {
  /** Open model (inject*): also records service time and start lag. */
  readonly openModel: boolean
}

/** Min and max of an interval of every distribution of a scenario (see stats/series.ts). */
export interface ScenarioExtremes extends CommonExtremes {
  readonly serviceTimeUs: Extremes | undefined
  readonly startLagUs: Extremes | undefined
  readonly steps: ReadonlyMap<string, CommonExtremes>
}

export class ScenarioRecorder extends RequestRecorder {
  private readonly serviceTimeUs: DistributionRecorder | undefined
  private readonly startLagUs: DistributionRecorder | undefined
  private readonly steps = new Map<string, StepRecorder>()
  private droppedIterations = 0
  private stepsDestroyed = false

  constructor(
    readonly scenarioName: string,
    options: ScenarioRecorderOptions,
  ) {
    super()
    this.serviceTimeUs = options.openModel ? new DistributionRecorder() : undefined
    this.startLagUs = options.openModel ? new DistributionRecorder() : undefined
  }

  /** Open model only: time from the actual start of an iteration to its end. */
  recordServiceTime(serviceUs: number): void {
    if (this.serviceTimeUs === undefined) throw this.closedModelError('recordServiceTime')
    this.serviceTimeUs.record(toExactValue(serviceUs))
  }

  /** Open model only: how late an iteration started behind its schedule. */
  recordStartLag(lagUs: number): void {
    if (this.startLagUs === undefined) throw this.closedModelError('recordStartLag')
    this.startLagUs.record(toExactValue(lagUs))
  }

  /** Iterations that were due but could not be started. */
  recordDropped(count = 1): void {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`recordDropped(count): count must be a non-negative integer, got ${count}`)
    }
    this.droppedIterations += count
  }

  /** The recorder of a named step; the same object for the same name. */
  step(stepName: string): StepRecorder {
    return this.steps.get(stepName) ?? this.addStep(stepName)
  }

  override reset(): void {
    super.reset()
    this.serviceTimeUs?.reset()
    this.startLagUs?.reset()
    this.droppedIterations = 0
    // Step recorders stay: callers may hold them across the end of the warm-up.
    for (const step of this.steps.values()) step.reset()
  }

  /**
   * A snapshot of everything recorded so far; recording can go on
   * afterwards. `durationMs` is the measured window so far (what rps
   * divides by); `window` says where it lies, by default [0, durationMs].
   * With `histograms: false` only the exact scalars (and counters) are
   * taken, no histogram encoded: a time-series snapshot (see takeExtremes).
   */
  serialize(durationMs: number, window?: MeasuredWindow, options: { readonly histograms?: boolean } = {}): SerializedScenarioStats {
    const withHistograms = options.histograms ?? true
    this.assertUsable('serialize')
    if (!Number.isFinite(durationMs) || durationMs < 0) {
      throw new RangeError(`serialize(durationMs): durationMs must be a finite number >= 0, got ${durationMs}`)
    }
    return {
      version: 2,
      scenarioName: this.scenarioName,
      durationMs,
      window: window ?? { startMs: 0, endMs: durationMs, pausedMs: 0 },
      droppedIterations: this.droppedIterations,
      ...this.serializeCommon(withHistograms),
      serviceTimeUs: this.serviceTimeUs?.serialize(withHistograms),
      startLagUs: this.startLagUs?.serialize(withHistograms),
      steps: [...this.steps.values()].map((step) => step.serialize(withHistograms)),
    }
  }

  /** Min and max of every distribution since the previous call: call right after serialize(), for a time-series point. */
  override takeExtremes(): ScenarioExtremes {
    return {
      ...super.takeExtremes(),
      serviceTimeUs: this.serviceTimeUs?.takeExtremes(),
      startLagUs: this.startLagUs?.takeExtremes(),
      steps: new Map([...this.steps].map(([name, step]) => [name, step.takeExtremes()])),
    }
  }

  override destroy(): void {
    super.destroy()
    if (this.stepsDestroyed) return
    this.stepsDestroyed = true
    this.serviceTimeUs?.destroy()
    this.startLagUs?.destroy()
    for (const step of this.steps.values()) step.destroy()
  }

  protected override describe(): string {
    return `the recorder of scenario '${this.scenarioName}'`
  }

  private addStep(stepName: string): StepRecorder {
    this.assertUsable('add a step to')
    if (this.steps.size >= MAX_STEPS) {
      throw new RangeError(
        `Scenario '${this.scenarioName}' already has ${MAX_STEPS} distinct steps; cannot add step '${stepName}'. ` +
          'Step names must be a fixed set: put per-request values into the message, not the step name.',
      )
    }
    const step = new StepRecorder(stepName)
    this.steps.set(stepName, step)
    return step
  }

  private closedModelError(method: string): Error {
    return new Error(
      `${method}() needs an open-model recorder, but scenario '${this.scenarioName}' was created with openModel: false`,
    )
  }
}
