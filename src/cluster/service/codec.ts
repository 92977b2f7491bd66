/**
 * Encoding service messages and the gate each received one passes: as the
 * cluster gate does (protocol/codec.ts), it drops, with one warning per
 * kind of problem, what is too big, not JSON, of another protocol, version
 * or namespace, unexpected on the subject, or fails its schema.
 */
import { z } from 'zod'
import { WarnOnce, type ClusterLog } from '../log.js'
import { MAX_MESSAGE_BYTES, type Namespace } from '../protocol/codec.js'
import { truncate } from '../protocol/final-report.js'
import { SERVICE_PROTOCOL_NAME, SERVICE_PROTOCOL_VERSION, SERVICE_SCHEMAS, type ServiceBody, type ServiceKind, type ServiceMessageOf } from './protocol.js'

export class ServiceCodec {
  private readonly warnings: WarnOnce

  constructor(
    private readonly namespace: Namespace,
    readonly senderId: string,
    log: ClusterLog,
    /** Who is receiving, for log lines. */
    private readonly receiver: string,
  ) {
    this.warnings = new WarnOnce(log)
  }

  encode<K extends ServiceKind>(kind: K, body: ServiceBody<K>): Uint8Array {
    const message = {
      protocol: SERVICE_PROTOCOL_NAME,
      version: SERVICE_PROTOCOL_VERSION,
      clusterId: this.namespace.clusterId,
      agentGroup: this.namespace.agentGroup,
      senderId: this.senderId,
      sentAtEpochMs: Date.now(),
      kind,
      ...body,
    }
    return encoder.encode(JSON.stringify(message))
  }

  open<K extends ServiceKind>(payload: Uint8Array, subject: string, expected: readonly K[]): ServiceMessageOf<K> | undefined {
    if (payload.byteLength > MAX_MESSAGE_BYTES) return this.drop('oversized', subject, `${payload.byteLength} bytes is more than the ${MAX_MESSAGE_BYTES} accepted`)
    let value: unknown
    try {
      value = JSON.parse(decoder.decode(payload))
    } catch {
      return this.drop('not-json', subject, 'not UTF-8 JSON')
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.drop('not-json', subject, 'not a JSON object')
    const record = value as Record<string, unknown>
    if (record.protocol !== SERVICE_PROTOCOL_NAME) return this.drop('not-loadspec', subject, `not a ${SERVICE_PROTOCOL_NAME} message`)
    if (record.version !== SERVICE_PROTOCOL_VERSION) {
      return this.drop('version', subject, `service protocol version ${JSON.stringify(record.version)}; this node speaks version ${SERVICE_PROTOCOL_VERSION}: run the same loadspec version on clients and service`)
    }
    if (record.clusterId !== this.namespace.clusterId || record.agentGroup !== this.namespace.agentGroup) {
      return this.drop('foreign-namespace', subject, `it belongs to ClusterId ${JSON.stringify(record.clusterId)} / AgentGroup ${JSON.stringify(record.agentGroup)}`)
    }
    const kind = record.kind
    if (typeof kind !== 'string' || !(expected as readonly string[]).includes(kind)) return this.drop('unexpected-kind', subject, `kind ${JSON.stringify(kind)} is not expected here`)
    const parsed = SERVICE_SCHEMAS[kind as K].safeParse(value)
    if (!parsed.success) return this.drop(`invalid:${kind}`, subject, `it fails the "${kind}" schema: ${truncate(z.prettifyError(parsed.error).replace(/\n/g, ' '), 400)}`)
    return parsed.data as ServiceMessageOf<K>
  }

  private drop(reason: string, subject: string, why: string): undefined {
    this.warnings.warn(reason, `${this.receiver} dropped a message on ${subject}: ${why}`)
    return undefined
  }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })
