import { performance } from 'node:perf_hooks'
import type { OpenPlan } from '../simulations/types.js'
import type { PhaseScheduler, ScenarioExecution } from './scenario-execution.js'

/** After this many starts in a row the scheduler yields, so completions and I/O are not starved after a stall. */
const LAUNCHES_BETWEEN_YIELDS = 256

/** setTimeout cannot wait longer than 2^31 ms; long waits are cut into pieces. */
const LONGEST_SLEEP_MS = 3_600_000

/**
 * Open model: starts iteration k at its due time whatever the target does.
 * It sleeps on a timer until the next due time and, on each wake-up, starts
 * every iteration that has come due since, each timed from its own due time
 * (latency counts from there: no coordinated omission, and a late wake-up
 * shows as start lag instead of shifting the schedule). Timers fire about
 * once a millisecond, so at high rates one wake-up starts several
 * iterations; nothing spins. An iteration due while `maxConcurrency`
 * handlers are still running is dropped and counted.
 *
 * The phase lasts until the plan's end, also after the last start, so the
 * measured window is the plan's length and the graceful-stop drain comes
 * after it. The loop is driven by timer callbacks rather than awaited
 * sleeps: a wake-up costs one timer, not a promise and a resumption too.
 */
export class OpenScheduler implements PhaseScheduler {
  constructor(private readonly plan: OpenPlan) {}

  run(execution: ScenarioExecution, phaseEndMs: number): Promise<void> {
    const plan = this.plan
    const maxConcurrency = execution.scenario.settings.maxConcurrency
    const total = plan.totalIterations
    const startMs = execution.phaseStartMs
    const endMs = Math.min(plan.durationMs, phaseEndMs)
    let next = 0
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        execution.wake.cancel()
        resolve()
      }
      const tick = (): void => {
        if (execution.stopped) return finish()
        const elapsedMs = performance.now() - startMs
        // Iterations due before the phase ended still start when the scheduler wakes late.
        const dueCount = Math.min(plan.startedBy(Math.min(elapsedMs, endMs)), total)
        let launchedInARow = 0
        while (next < dueCount) {
          const dueMs = plan.dueAtMs(next)
          if (dueMs >= phaseEndMs) return finish()
          if (execution.runningCount >= maxConcurrency) execution.recorder.recordDropped(1)
          else execution.launch(startMs + dueMs)
          next++
          if (execution.stopped) return finish()
          if (++launchedInARow === LAUNCHES_BETWEEN_YIELDS) return execution.wake.afterTurn(tick)
        }
        if (elapsedMs >= endMs) return finish()
        const wakeAtMs = Math.min(next < total ? plan.dueAtMs(next) : Number.POSITIVE_INFINITY, endMs)
        const waitMs = wakeAtMs - (performance.now() - startMs)
        // A stop calls tick at once (Wakeable.wake), which then finds the scenario stopped.
        execution.wake.after(Math.min(Math.max(waitMs, 0), LONGEST_SLEEP_MS), tick)
      }
      tick()
    })
  }
}
