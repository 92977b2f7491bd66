import type { ClosedPlan } from '../simulations/types.js'
import type { IterationSlot } from './iteration-slot.js'
import type { PhaseScheduler, ScenarioExecution } from './scenario-execution.js'

interface Copy {
  readonly slot: IterationSlot
  /** False once the copy is retired (ramp down, or replaced after a timeout). */
  active: boolean
  /** Still counted in `liveCopies`: a copy given up on after a timeout no longer is. */
  counted: boolean
}

/**
 * Closed model: keeps `copiesAt(t)` copies running iterations back to back,
 * adjusting the count at the plan's change points. With an iteration
 * budget (iterationsForConstant) the copies share it and the phase ends when
 * the last copy finishes.
 */
export class ClosedScheduler implements PhaseScheduler {
  private active: Copy[] = []
  private liveCopies = 0

  constructor(private readonly plan: ClosedPlan) {}

  async run(execution: ScenarioExecution, phaseEndMs: number): Promise<void> {
    const plan = this.plan
    this.active = []
    this.liveCopies = 0
    execution.onAbandon = (slot) => this.replaceAbandoned(execution, slot)
    try {
      const endMs = Math.min(plan.durationMs, phaseEndMs)
      this.adjust(execution, plan.copiesAt(0))
      for (const changeMs of plan.changePointsMs()) {
        if (changeMs <= 0) continue
        if (changeMs >= endMs) break
        if (!(await this.sleepUntil(execution, changeMs))) return
        this.adjust(execution, plan.copiesAt(changeMs))
      }
      await this.sleepUntil(execution, endMs)
    } finally {
      for (const copy of this.active) copy.active = false
      execution.onAbandon = undefined
    }
  }

  /** False when the phase ended early (stop, or an iteration budget used up). */
  private async sleepUntil(execution: ScenarioExecution, targetMs: number): Promise<boolean> {
    for (;;) {
      if (execution.stopped) return false
      if (execution.iterationsExhausted && this.liveCopies === 0) return false
      const leftMs = targetMs - (performance.now() - execution.phaseStartMs)
      if (leftMs <= 0) return true
      // Sleeps past an hour are cut into pieces: setTimeout cannot wait longer than 2^31 ms.
      await execution.wake.sleep(Math.min(leftMs, 3_600_000))
    }
  }

  private adjust(execution: ScenarioExecution, targetCopies: number): void {
    while (this.active.length < targetCopies) this.spawn(execution)
    while (this.active.length > targetCopies) {
      const retired = this.active.pop()
      if (retired) retired.active = false
    }
  }

  private spawn(execution: ScenarioExecution): Copy {
    const copy: Copy = { slot: execution.newSlot(), active: true, counted: true }
    this.active.push(copy)
    this.liveCopies++
    void this.copyLoop(execution, copy)
    return copy
  }

  private async copyLoop(execution: ScenarioExecution, copy: Copy): Promise<void> {
    try {
      await execution.runCopy(copy.slot, copy)
    } finally {
      execution.releaseSlot(copy.slot)
      this.uncount(execution, copy)
    }
  }

  /** A copy stuck in a timed-out iteration is given up on and a fresh copy takes its place. */
  private replaceAbandoned(execution: ScenarioExecution, slot: IterationSlot): void {
    const index = this.active.findIndex((copy) => copy.slot === slot)
    const stuck = this.active[index]
    if (stuck === undefined) return
    stuck.active = false
    this.active.splice(index, 1)
    this.uncount(execution, stuck)
    if (!execution.stopped) this.spawn(execution)
  }

  private uncount(execution: ScenarioExecution, copy: Copy): void {
    if (!copy.counted) return
    copy.counted = false
    this.liveCopies--
    if (this.liveCopies === 0) execution.wake.wake()
  }
}
