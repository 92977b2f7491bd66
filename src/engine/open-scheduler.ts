import { performance } from 'node:perf_hooks'
import type { OpenPlan } from '../simulations/types.js'
import type { PhaseScheduler, ScenarioExecution } from './scenario-execution.js'

/** After this many starts in a row the scheduler yields, so completions and I/O are not starved after a stall. */
const LAUNCHES_BETWEEN_YIELDS = 256

/**
 * Open model: starts iteration k at its due time whatever the target does.
 * Latency counts from the due time (no coordinated omission); an iteration
 * due while `maxConcurrency` are in flight is dropped and counted.
 */
export class OpenScheduler implements PhaseScheduler {
  constructor(private readonly plan: OpenPlan) {}

  async run(execution: ScenarioExecution, phaseEndMs: number): Promise<void> {
    const plan = this.plan
    const maxConcurrency = execution.scenario.settings.maxConcurrency
    const total = plan.totalIterations
    const startMs = execution.phaseStartMs
    let next = 0
    while (!execution.stopped && next < total) {
      const elapsedMs = performance.now() - startMs
      // Iterations due before the phase ended still start when the scheduler wakes late.
      const dueCount = Math.min(plan.startedBy(Math.min(elapsedMs, phaseEndMs)), total)
      let launchedInARow = 0
      while (next < dueCount && !execution.stopped) {
        const dueMs = plan.dueAtMs(next)
        if (dueMs >= phaseEndMs) return
        if (execution.inFlightCount >= maxConcurrency) execution.recorder.recordDropped(1)
        else execution.launch(startMs + dueMs)
        next++
        if (++launchedInARow === LAUNCHES_BETWEEN_YIELDS) {
          launchedInARow = 0
          await execution.wake.sleep(0)
        }
      }
      if (next >= total || elapsedMs >= phaseEndMs) return
      const waitMs = Math.min(plan.dueAtMs(next), phaseEndMs) - (performance.now() - startMs)
      if (waitMs > 0) await execution.wake.sleep(waitMs)
    }
  }
}
