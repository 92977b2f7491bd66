/**
 * A transport that passes everything to another one; tests override
 * publish() to drop, delay or record messages (faults acted out on the
 * in-memory bus).
 */
import type { ClusterTransport, MessageHandler, TransportStatus } from '../../src/cluster/index.js'

export class WrappedTransport implements ClusterTransport {
  constructor(protected readonly inner: ClusterTransport) {}

  get description(): string {
    return this.inner.description
  }

  get maxPayloadBytes(): number {
    return this.inner.maxPayloadBytes
  }

  publish(subject: string, payload: Uint8Array): void {
    this.inner.publish(subject, payload)
  }

  subscribe(subject: string, handler: MessageHandler): () => void {
    return this.inner.subscribe(subject, handler)
  }

  flush(): Promise<void> {
    return this.inner.flush()
  }

  close(): Promise<void> {
    return this.inner.close()
  }

  onStatus(listener: (status: TransportStatus) => void): () => void {
    return this.inner.onStatus(listener)
  }
}

/** The `kind` of a loadspec message. */
export function kindOf(payload: Uint8Array): string {
  return (JSON.parse(new TextDecoder().decode(payload)) as { kind: string }).kind
}
