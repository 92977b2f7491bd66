/**
 * A sleep that something else can cut short: schedulers sleep until the next
 * due time, and a stop (or the last copy finishing) wakes them at once.
 */
export class Wakeable {
  private resolveSleep: (() => void) | undefined
  private timer: NodeJS.Timeout | undefined

  /** Resolves after `ms` (setImmediate below a millisecond) or on wake(), whichever comes first. */
  sleep(ms: number): Promise<void> {
    this.wake()
    return new Promise<void>((resolve) => {
      this.resolveSleep = resolve
      if (ms < 1) {
        setImmediate(() => this.wake())
      } else {
        this.timer = setTimeout(() => this.wake(), ms)
      }
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
