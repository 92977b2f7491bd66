/**
 * A wait that something else can cut short: schedulers wait until the next
 * due time, and a stop (or the last copy finishing) wakes them at once.
 * Waits are timers only, however short: a timer fires within about a
 * millisecond of its time, while waiting on setImmediate for sub-millisecond
 * precision keeps a whole core busy (docs/performance.md).
 */
export class Wakeable {
  private onWake: (() => void) | undefined
  private timer: NodeJS.Timeout | undefined
  private immediate: NodeJS.Immediate | undefined

  /** Resolves after `ms` (a timer; Node fires those after at least 1 ms) or on wake(), whichever comes first. */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => this.after(ms, resolve))
  }

  /** Calls `callback` once, after `ms` or on wake(), whichever comes first; replaces a wait already set (which is woken). */
  after(ms: number, callback: () => void): void {
    this.wake()
    this.onWake = callback
    this.timer = setTimeout(this.fire, ms)
  }

  /** Calls `callback` once after I/O and timers had a turn (the event loop's check phase), or on wake(). */
  afterTurn(callback: () => void): void {
    this.wake()
    this.onWake = callback
    this.immediate = setImmediate(this.fire)
  }

  /** Ends the wait now: its callback runs (a sleep resolves). */
  wake(): void {
    const callback = this.onWake
    this.cancel()
    callback?.()
  }

  /** Drops the wait without calling its callback. */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    if (this.immediate !== undefined) clearImmediate(this.immediate)
    this.timer = undefined
    this.immediate = undefined
    this.onWake = undefined
  }

  private readonly fire = (): void => {
    this.timer = undefined
    this.immediate = undefined
    this.wake()
  }
}
