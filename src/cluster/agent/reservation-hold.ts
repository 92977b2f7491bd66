/**
 * An idle agent's promise to one coordinator: "I am yours for the next
 * leaseMs, if you assign me". A coordinator reserves every agent it needs
 * before it assigns any (all or nothing), so two coordinators competing for
 * the same agents never each sit on half of them: the lease lapses by itself
 * when the coordinator neither assigns nor releases (it died, or its release
 * was lost), and the agent is idle again.
 */
import type { Holder } from '../protocol/messages.js'

export class ReservationHold {
  private current: { readonly holder: Holder; readonly timer: NodeJS.Timeout } | undefined

  /** `onLapse` runs when a lease ran out without assign or release. */
  constructor(private readonly onLapse: (holder: Holder) => void) {}

  get holder(): Holder | undefined {
    return this.current?.holder
  }

  heldFor(sessionId: string): boolean {
    return this.current?.holder.sessionId === sessionId
  }

  /** Takes (or renews, for the same session) the reservation for `leaseMs`. */
  take(holder: Holder, leaseMs: number): void {
    this.clear()
    const timer = setTimeout(() => {
      if (this.current?.timer !== timer) return
      this.current = undefined
      this.onLapse(holder)
    }, leaseMs)
    this.current = { holder, timer }
  }

  /** Ends the reservation (released, assigned, cancelled); true when there was one for `sessionId` (or any, without it). */
  clear(sessionId?: string): boolean {
    if (this.current === undefined || (sessionId !== undefined && this.current.holder.sessionId !== sessionId)) return false
    clearTimeout(this.current.timer)
    this.current = undefined
    return true
  }
}
