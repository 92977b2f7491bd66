/**
 * A sleep that something else can cut short: schedulers sleep until the next
 * due time, and a stop (or the last copy finishing) wakes them at once.
 * Sleeps are timers only, however short: a timer fires within about a
 * millisecond of its time, while waiting on setImmediate for sub-millisecond
 * precision keeps a whole core busy (docs/performance.md).
 */
export class Wakeable {
  private resolveSleep: (() => void) | undefined
  private timer: NodeJS.Timeout | undefined

  /** Resolves after `ms` (a timer; Node fires those after at least 1 ms) or on wake(), whichever comes first. */
  sleep(ms: number): Promise<void> {
    this.wake()
    return new Promise<void>((resolve) => {
      this.resolveSleep = resolve
      this.timer = setTimeout(() => this.wake(), ms)
    })
  }

  /** Lets I/O and timers run once (the event loop's check phase), then resolves; wake() also ends it. */
  yieldTurn(): Promise<void> {
    this.wake()
    return new Promise<void>((resolve) => {
      this.resolveSleep = resolve
      // Only this turn's sleep: a wake() meanwhile may have ended it and another sleep begun.
      setImmediate(() => {
        if (this.resolveSleep === resolve) this.wake()
      })
    })
  }

  wake(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    const resolve = this.resolveSleep
    this.resolveSleep = undefined
    resolve?.()
  }
}
