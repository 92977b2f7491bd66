import type { LoadPlan, PauseSpan } from '../simulations/types.js'
import type { MeasuredWindow } from '../stats/types.js'

/**
 * The measured window of one scenario on one node (docs/numbers.md): from
 * the start of its measured phase (after warm-up) to the end of its plan,
 * or its stop, or, for an iteration-count plan, its last iteration; pause
 * stages left out. The graceful-stop drain that follows is not part of it
 * (what finishes in it still counts). A plan that runs to its end has a
 * window of exactly its length minus its pauses, on every node.
 */
export class MeasuredWindowClock {
  private closedAtMs: number | undefined

  /**
   * @param startMs performance.now() at which the measured phase began
   * @param loadStartMs performance.now() at which the node's load began (the time series' origin)
   * @param haltedAtMs when the scenario was stopped, if it was (read live: interim stats see a stop at once)
   */
  constructor(
    private readonly plan: Pick<LoadPlan, 'durationMs' | 'pausesMs'>,
    private readonly startMs: number,
    private readonly loadStartMs: number,
    private readonly haltedAtMs: () => number | undefined,
  ) {}

  /** The load ended here (an iteration-count plan's last iteration); a later close changes nothing. */
  close(atMs: number): void {
    this.closedAtMs = Math.min(this.closedAtMs ?? Number.POSITIVE_INFINITY, atMs)
  }

  /** The window as it stands at `nowMs`. */
  at(nowMs: number): { readonly durationMs: number; readonly window: MeasuredWindow } {
    const endMs = Math.min(nowMs, this.closedAtMs ?? Number.POSITIVE_INFINITY, this.haltedAtMs() ?? Number.POSITIVE_INFINITY)
    // Relative to the phase start, and capped by the plan's own length, so a plan that ran to its end
    // gives exactly its length, whatever the timers' lateness.
    const elapsedMs = Math.max(0, Math.min(endMs - this.startMs, this.plan.durationMs))
    const pausedMs = pausedWithin(this.plan.pausesMs, elapsedMs)
    const offsetMs = this.startMs - this.loadStartMs
    return {
      durationMs: Math.max(0, elapsedMs - pausedMs),
      window: { startMs: offsetMs, endMs: offsetMs + elapsedMs, pausedMs },
    }
  }
}

/** A scenario that never reached its measured phase (stopped during warm-up): an empty window where it stopped. */
export function emptyWindowAt(offsetMs: number): { readonly durationMs: number; readonly window: MeasuredWindow } {
  return { durationMs: 0, window: { startMs: offsetMs, endMs: offsetMs, pausedMs: 0 } }
}

/** How much of [0, elapsedMs] of the plan lies in its pauses. */
export function pausedWithin(pauses: readonly PauseSpan[], elapsedMs: number): number {
  let pausedMs = 0
  for (const pause of pauses) {
    if (pause.startMs >= elapsedMs) break
    pausedMs += Math.min(pause.endMs, elapsedMs) - pause.startMs
  }
  return pausedMs
}
