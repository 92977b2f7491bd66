import { closedStageOf, type ClosedSimulation } from './kinds.js'
import { lastIndexAtMost } from './math.js'
import type { ClosedStage } from './stage.js'
import type { ClosedPlan, PauseSpan } from './types.js'

/** Lays closed stages end to end; each ramp starts from the copies the stage before it ended at. */
export function compileClosedPlan(simulations: readonly ClosedSimulation[]): ClosedPlan {
  const stages: ClosedStage[] = []
  const pausesMs: PauseSpan[] = []
  let startMs = 0
  let previousCopies = 0
  let iterationLimit: number | undefined
  for (const sim of simulations) {
    const stage = closedStageOf(sim, { startMs, previousCopies })
    iterationLimit = stage.iterationLimit ?? iterationLimit
    previousCopies = stage.endCopies
    if (sim.kind === 'pause' && stage.durationMs > 0) pausesMs.push({ startMs, endMs: startMs + stage.durationMs })
    startMs += stage.durationMs
    // A zero-length pause still resets the copies a ramp starts from, but holds no time.
    if (stage.durationMs > 0) stages.push(stage)
  }
  return new StagedClosedPlan(stages, startMs, iterationLimit, pausesMs)
}

/** Copies are 0 before the start and from durationMs on; stage s holds [start, start + duration). */
class StagedClosedPlan implements ClosedPlan {
  readonly model = 'closed'
  readonly durationMs: number
  readonly iterationLimit: number | undefined
  readonly maxCopies: number
  readonly pausesMs: readonly PauseSpan[]
  readonly #stages: readonly ClosedStage[]
  readonly #stageStartMs: Float64Array
  #changePointsMs: readonly number[] | undefined

  constructor(stages: readonly ClosedStage[], durationMs: number, iterationLimit: number | undefined, pausesMs: readonly PauseSpan[]) {
    this.pausesMs = pausesMs
    this.#stages = stages
    this.#stageStartMs = Float64Array.from(stages, (stage) => stage.startMs)
    this.durationMs = durationMs
    this.iterationLimit = iterationLimit
    this.maxCopies = stages.reduce((max, stage) => Math.max(max, stage.maxCopies), 0)
  }

  copiesAt(tMs: number): number {
    if (!(tMs >= 0) || tMs >= this.durationMs) return 0
    const stage = this.#stages[Math.max(0, lastIndexAtMost(this.#stageStartMs, tMs))] as ClosedStage
    return stage.copiesAt(tMs)
  }

  /** Includes 0 when the plan starts with copies, and durationMs when it ends with some. */
  changePointsMs(): readonly number[] {
    this.#changePointsMs ??= Object.freeze(this.#collectChangePoints())
    return this.#changePointsMs
  }

  #collectChangePoints(): number[] {
    const pointsMs: number[] = []
    let copiesBefore = 0
    for (const stage of this.#stages) {
      if (stage.startCopies !== copiesBefore) pointsMs.push(stage.startMs)
      for (const pointMs of stage.changePointsMs()) pointsMs.push(pointMs)
      copiesBefore = stage.endCopies
    }
    if (copiesBefore !== 0 && Number.isFinite(this.durationMs)) pointsMs.push(this.durationMs)
    return pointsMs
  }
}
