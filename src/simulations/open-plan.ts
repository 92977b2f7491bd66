import { openStageOf, type OpenSimulation } from './kinds.js'
import { lastIndexAtMost, snapToInteger } from './math.js'
import type { OpenStage } from './stage.js'
import type { OpenPlan, PauseSpan } from './types.js'

/** Lays open stages end to end; each ramp starts from the rate the stage before it ended at. */
export function compileOpenPlan(simulations: readonly OpenSimulation[], random: () => number): OpenPlan {
  const stages: OpenStage[] = []
  const pausesMs: PauseSpan[] = []
  let previousRatePerMs = 0
  let startMs = 0
  for (const sim of simulations) {
    const stage = openStageOf(sim, { previousRatePerMs, random })
    previousRatePerMs = stage.endRatePerMs
    // A zero-length pause still resets the rate a ramp starts from, but holds no time.
    if (stage.durationMs > 0) stages.push(stage)
    if (sim.kind === 'pause' && stage.durationMs > 0) pausesMs.push({ startMs, endMs: startMs + stage.durationMs })
    startMs += stage.durationMs
  }
  return new StagedOpenPlan(stages, pausesMs)
}

/**
 * The plan's expected count E(t) is the area under its rate since the start.
 * Iteration k is due the moment E rises past k, so the first one is due as
 * soon as the rate is positive (at 0 for inject: k6's constant-arrival-rate),
 * and startedBy(t) counts the k with due(k) <= t:
 *   ceil(E(t)), plus one when E(t) is a whole number and still rising.
 * Counts are snapped to integers within rounding noise, and dueAtMs is
 * checked against startedBy, so the two never disagree.
 */
class StagedOpenPlan implements OpenPlan {
  readonly model = 'open'
  readonly durationMs: number
  readonly totalIterations: number
  readonly pausesMs: readonly PauseSpan[]
  readonly #stages: readonly OpenStage[]
  readonly #stageStartMs: Float64Array
  /** E at each stage's start, snapped: the search key for dueAtMs. */
  readonly #expectedBefore: Float64Array

  constructor(stages: readonly OpenStage[], pausesMs: readonly PauseSpan[]) {
    this.#stages = stages
    this.pausesMs = pausesMs
    this.#stageStartMs = new Float64Array(stages.length)
    this.#expectedBefore = new Float64Array(stages.length)
    let startMs = 0
    let expected = 0
    stages.forEach((stage, index) => {
      this.#stageStartMs[index] = startMs
      this.#expectedBefore[index] = expected
      startMs += stage.durationMs
      expected = snapToInteger(expected + stage.expectedIterations)
    })
    this.durationMs = startMs
    this.totalIterations = Math.max(0, Math.ceil(expected))
  }

  dueAtMs(index: number): number {
    if (!Number.isInteger(index) || index < 0) throw new RangeError(`dueAtMs: index must be an integer of 0 or more, got ${index}`)
    if (index >= this.totalIterations) return Number.POSITIVE_INFINITY
    // The last stage starting at or below `index` is the one whose E rises past it:
    // a pause before it starts at the same E and is passed over.
    const stageIndex = Math.max(0, lastIndexAtMost(this.#expectedBefore, index))
    const stage = this.#stages[stageIndex] as OpenStage
    const localMs = stage.timeOfExpected(index - (this.#expectedBefore[stageIndex] as number))
    const dueMs = (this.#stageStartMs[stageIndex] as number) + Math.min(Math.max(localMs, 0), stage.durationMs)
    return this.#firstTimeStarted(dueMs, index + 1)
  }

  startedBy(tMs: number): number {
    if (!(tMs >= 0)) return 0
    if (tMs >= this.durationMs) return this.totalIterations
    const stageIndex = this.#stageIndexAt(tMs)
    const stage = this.#stages[stageIndex] as OpenStage
    const localMs = tMs - (this.#stageStartMs[stageIndex] as number)
    const expected = snapToInteger((this.#expectedBefore[stageIndex] as number) + stage.expectedBy(localMs))
    const started = Number.isInteger(expected) ? expected + (stage.risesAfter(localMs) ? 1 : 0) : Math.ceil(expected)
    return Math.min(started, this.totalIterations)
  }

  ratePerSecondAt(tMs: number): number {
    if (!(tMs >= 0) || tMs >= this.durationMs) return 0
    const stageIndex = this.#stageIndexAt(tMs)
    const stage = this.#stages[stageIndex] as OpenStage
    return stage.ratePerMsAt(tMs - (this.#stageStartMs[stageIndex] as number)) * 1000
  }

  #stageIndexAt(tMs: number): number {
    return Math.max(0, lastIndexAtMost(this.#stageStartMs, tMs))
  }

  /**
   * The closed-form inverse can land a few ulps before the moment startedBy
   * (with its own rounding) counts the iteration; step forward until it does.
   */
  #firstTimeStarted(dueMs: number, started: number): number {
    let candidateMs = dueMs
    let stepMs = Math.max(Math.abs(dueMs), 1) * Number.EPSILON
    for (let attempt = 0; attempt < MAX_CORRECTION_STEPS && this.startedBy(candidateMs) < started; attempt++) {
      candidateMs += stepMs
      stepMs *= 2
    }
    return candidateMs
  }
}

const MAX_CORRECTION_STEPS = 64
