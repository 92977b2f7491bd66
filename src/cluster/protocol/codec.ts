/**
 * Encoding messages, and the gate every received payload passes before a
 * state machine sees it. The gate drops, with one warning per kind of
 * problem: payloads that are too big, not JSON, not loadspec's, of another
 * protocol version or another cluster namespace, of a kind not expected on
 * that subject, or that fail their kind's schema. Nothing a peer sends can
 * throw out of here.
 */
import { z } from 'zod'
import { newInstanceId } from '../ids.js'
import { WarnOnce, type ClusterLog } from '../log.js'
import { truncate } from './final-report.js'
import {
  MESSAGE_SCHEMAS,
  PROTOCOL_NAME,
  PROTOCOL_VERSION,
  isMessageKind,
  type MessageBody,
  type MessageKind,
  type MessageOf,
} from './messages.js'

/** Larger payloads are dropped before parsing (NATS' own default limit is 1 MB). */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024

export type DropReason = 'oversized' | 'not-json' | 'not-loadspec' | 'version' | 'foreign-namespace' | 'unexpected-kind' | 'invalid'

export interface Namespace {
  readonly clusterId: string
  readonly agentGroup: string
}

/** Builds and encodes messages from one sender (one process: its instance id is fixed for the encoder's life). */
export class MessageEncoder {
  constructor(
    private readonly namespace: Namespace,
    readonly senderId: string,
    readonly senderInstanceId: string = newInstanceId(),
  ) {}

  encode<K extends MessageKind>(kind: K, body: MessageBody<K>): Uint8Array {
    const message = {
      protocol: PROTOCOL_NAME,
      version: PROTOCOL_VERSION,
      clusterId: this.namespace.clusterId,
      agentGroup: this.namespace.agentGroup,
      senderId: this.senderId,
      senderInstanceId: this.senderInstanceId,
      sentAtEpochMs: Date.now(),
      kind,
      ...body,
    }
    return textEncoder.encode(JSON.stringify(message))
  }
}

export class MessageGate {
  /** How many payloads were dropped, by reason (for tests and diagnostics). */
  readonly dropped = new Map<DropReason, number>()
  private readonly warnings: WarnOnce

  constructor(
    private readonly namespace: Namespace,
    log: ClusterLog,
    /** Who is receiving, for log lines: "coordinator c1", "agent a1". */
    private readonly receiver: string,
    private readonly maxBytes = MAX_MESSAGE_BYTES,
  ) {
    this.warnings = new WarnOnce(log)
  }

  /** The message, if it is valid and of one of the expected kinds; otherwise undefined (and logged). */
  open<K extends MessageKind>(payload: Uint8Array, subject: string, expected: readonly K[]): MessageOf<K> | undefined {
    if (payload.byteLength > this.maxBytes) {
      return this.drop('oversized', 'any', subject, `${payload.byteLength} bytes is more than the ${this.maxBytes} accepted`)
    }
    let value: unknown
    try {
      value = JSON.parse(strictDecoder.decode(payload))
    } catch (error) {
      return this.drop('not-json', 'any', subject, `not UTF-8 JSON (${error instanceof Error ? error.message : String(error)})`)
    }
    if (!isRecord(value) || value.protocol !== PROTOCOL_NAME) {
      return this.drop('not-loadspec', 'any', subject, `not a ${PROTOCOL_NAME} message (no "protocol": "${PROTOCOL_NAME}" field)`)
    }
    const kind = typeof value.kind === 'string' ? value.kind : 'unknown'
    if (value.version !== PROTOCOL_VERSION) {
      return this.drop(
        'version',
        kind,
        subject,
        `protocol version ${JSON.stringify(value.version)} from ${describeSender(value)}; this node speaks version ${PROTOCOL_VERSION}: run the same loadspec version on every node`,
      )
    }
    if (value.clusterId !== this.namespace.clusterId || value.agentGroup !== this.namespace.agentGroup) {
      return this.drop(
        'foreign-namespace',
        kind,
        subject,
        `it belongs to ClusterId ${JSON.stringify(value.clusterId)} / AgentGroup ${JSON.stringify(value.agentGroup)}, not ${JSON.stringify(this.namespace.clusterId)} / ${JSON.stringify(this.namespace.agentGroup)}`,
      )
    }
    if (!isMessageKind(kind) || !(expected as readonly string[]).includes(kind)) {
      return this.drop('unexpected-kind', kind, subject, `kind ${JSON.stringify(value.kind)} is not expected here (expected ${expected.join(', ')})`)
    }
    const parsed = MESSAGE_SCHEMAS[kind].safeParse(value)
    if (!parsed.success) {
      return this.drop('invalid', kind, subject, `it fails the "${kind}" schema: ${truncate(z.prettifyError(parsed.error).replace(/\n/g, ' '), 400)}`)
    }
    return parsed.data as MessageOf<K>
  }

  private drop(reason: DropReason, kind: string, subject: string, why: string): undefined {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1)
    this.warnings.warn(`${reason}:${kind}`, `${this.receiver} dropped a message on ${subject}: ${why}`)
    return undefined
  }
}

const textEncoder = new TextEncoder()
const strictDecoder = new TextDecoder('utf-8', { fatal: true })

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describeSender(value: Record<string, unknown>): string {
  return typeof value.senderId === 'string' ? `"${truncate(value.senderId, 100)}"` : 'an unnamed sender'
}
