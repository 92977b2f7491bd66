/**
 * Deadline checks for both sides of a session (a silent peer, a broker that
 * stays away, a straggler past its load deadline). Rather than polling, the
 * check is run when its earliest deadline falls due, so a silent peer is
 * noticed AgentLostTimeoutMs after it was last heard, give or take a timer
 * tick, not up to a polling interval later. Deadlines only move later when a
 * peer is heard, so waking at the old one and finding nothing due is
 * harmless; the check then says when to look next.
 */

export interface DeadlineChecks {
  stop(): void
}

/**
 * Calls `check` at once and then whenever the deadline it last returned (a
 * performance.now() value) is due, and at least every `maxWaitMs` (new
 * deadlines appear as a session moves on). `undefined` means no deadline.
 */
export function runDeadlineChecks(check: () => number | undefined, maxWaitMs: number): DeadlineChecks {
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  const run = (): void => {
    if (stopped) return
    const dueMs = check()
    if (stopped) return
    const waitMs = dueMs === undefined ? maxWaitMs : Math.min(maxWaitMs, Math.max(0, dueMs - performance.now()))
    // +1: timers may fire a fraction of a millisecond early against performance.now().
    timer = setTimeout(run, Math.ceil(waitMs) + 1)
  }
  run()
  return {
    stop: () => {
      stopped = true
      clearTimeout(timer)
    },
  }
}
