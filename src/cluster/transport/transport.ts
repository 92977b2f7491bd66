/**
 * What the coordinator and agent state machines need from a message bus:
 * fire-and-forget publish, subscribe by subject, and a clean close. Two
 * implementations: NATS across processes and machines (nats.ts), and an
 * in-memory bus for the local dev cluster and state-machine tests
 * (memory.ts). Neither knows about the protocol: payloads are bytes.
 */

export type MessageHandler = (payload: Uint8Array, subject: string) => void

export type TransportStatus = 'disconnected' | 'reconnected' | 'closed'

export interface ClusterTransport {
  /** For messages: "NATS nats://127.0.0.1:4222", "in-memory bus". */
  readonly description: string
  /** The largest payload one publish may carry. */
  readonly maxPayloadBytes: number
  /**
   * Sends without waiting. Throws only when the transport is closed or the
   * payload is larger than maxPayloadBytes. While disconnected, messages are
   * lost (the NATS client drops its buffer when it reconnects; the in-memory
   * bus drops them as a partition would): the protocol re-sends what matters.
   */
  publish(subject: string, payload: Uint8Array): void
  /** Handlers are called one message at a time, in arrival order; returns the unsubscribe function. */
  subscribe(subject: string, handler: MessageHandler): () => void
  /** Resolves once everything published so far has left this process (or after a short bound). */
  flush(): Promise<void>
  /** Flushes (bounded) and closes; idempotent. */
  close(): Promise<void>
  /**
   * Connection changes (a broker restart is 'disconnected' then 'reconnected'):
   * the state machines use them to tell a dead broker from dead peers. Returns
   * the unsubscribe function.
   */
  onStatus(listener: (status: TransportStatus) => void): () => void
}
