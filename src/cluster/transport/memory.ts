/**
 * An in-memory message bus with NATS' subject semantics (`*`, `>`), for the
 * local dev cluster and for testing the state machines without a broker.
 * Delivery is asynchronous (setImmediate), in publish order, as over a
 * network: a handler never runs inside the publish call that triggered it.
 * A transport can be taken offline to act out a partition or a dead peer.
 */
import { subjectMatches } from '../protocol/subjects.js'
import type { ClusterTransport, MessageHandler, TransportStatus } from './transport.js'

export const MEMORY_DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024

interface MemorySubscription {
  readonly pattern: string
  readonly handler: MessageHandler
  readonly owner: MemoryTransport
  active: boolean
}

export class MemoryBus {
  private readonly subscriptions = new Set<MemorySubscription>()
  private readonly transports = new Set<MemoryTransport>()

  connect(name: string, options: { maxPayloadBytes?: number } = {}): MemoryTransport {
    const transport = new MemoryTransport(this, name, options.maxPayloadBytes ?? MEMORY_DEFAULT_MAX_PAYLOAD_BYTES)
    this.transports.add(transport)
    return transport
  }

  /** Closes every transport of this bus. */
  async close(): Promise<void> {
    await Promise.all([...this.transports].map((transport) => transport.close()))
  }

  /** @internal */
  addSubscription(subscription: MemorySubscription): void {
    this.subscriptions.add(subscription)
  }

  /** @internal */
  removeSubscription(subscription: MemorySubscription): void {
    subscription.active = false
    this.subscriptions.delete(subscription)
  }

  /** @internal */
  forget(transport: MemoryTransport): void {
    this.transports.delete(transport)
    for (const subscription of this.subscriptions) if (subscription.owner === transport) this.removeSubscription(subscription)
  }

  /** @internal */
  deliver(subject: string, payload: Uint8Array): void {
    for (const subscription of this.subscriptions) {
      if (!subjectMatches(subscription.pattern, subject)) continue
      setImmediate(() => {
        // Checked at delivery time: an unsubscribe or a partition in between wins, as on a real network.
        if (subscription.active && subscription.owner.online) subscription.handler(payload, subject)
      })
    }
  }
}

export class MemoryTransport implements ClusterTransport {
  readonly description: string
  private isClosed = false
  private isOnline = true
  private readonly statusListeners = new Set<(status: TransportStatus) => void>()

  constructor(
    private readonly bus: MemoryBus,
    readonly name: string,
    readonly maxPayloadBytes: number,
  ) {
    this.description = `in-memory bus (${name})`
  }

  get online(): boolean {
    return this.isOnline && !this.isClosed
  }

  /** Offline: nothing this transport publishes goes out and nothing reaches it (a partition, a frozen peer). */
  setOnline(online: boolean): void {
    if (this.isClosed || online === this.isOnline) return
    this.isOnline = online
    for (const listener of this.statusListeners) listener(online ? 'reconnected' : 'disconnected')
  }

  publish(subject: string, payload: Uint8Array): void {
    if (this.isClosed) throw new Error(`${this.description} is closed`)
    if (payload.byteLength > this.maxPayloadBytes) {
      throw new Error(`payload of ${payload.byteLength} bytes is more than the ${this.maxPayloadBytes} this transport carries`)
    }
    if (this.isOnline) this.bus.deliver(subject, payload)
  }

  subscribe(subject: string, handler: MessageHandler): () => void {
    if (this.isClosed) throw new Error(`${this.description} is closed`)
    const subscription: MemorySubscription = { pattern: subject, handler, owner: this, active: true }
    this.bus.addSubscription(subscription)
    return () => this.bus.removeSubscription(subscription)
  }

  async flush(): Promise<void> {
    // Deliveries are queued with setImmediate; one turn lets those already queued run.
    await new Promise<void>((resolve) => setImmediate(resolve))
  }

  async close(): Promise<void> {
    if (this.isClosed) return
    this.isClosed = true
    this.bus.forget(this)
    for (const listener of this.statusListeners) listener('closed')
    this.statusListeners.clear()
  }

  onStatus(listener: (status: TransportStatus) => void): () => void {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }
}
