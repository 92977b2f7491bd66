/**
 * How every piece of a coordinator session talks to agents: one encoder (the
 * coordinator's id and instance), one subject per agent, and failures to
 * publish logged once per kind instead of thrown (a closed or full
 * connection must not crash a state machine; the protocol re-sends).
 */
import { hostname } from 'node:os'
import { errorMessage } from '../../engine/outcome.js'
import { WarnOnce, type ClusterLog } from '../log.js'
import type { MessageEncoder } from '../protocol/codec.js'
import type { MessageBody, MessageKind } from '../protocol/messages.js'
import type { ClusterSubjects } from '../protocol/subjects.js'
import type { ClusterTransport } from '../transport/transport.js'

export class CoordinatorLink {
  readonly host = hostname()
  readonly pid = process.pid
  private readonly warnings: WarnOnce

  constructor(
    readonly coordinatorId: string,
    readonly transport: ClusterTransport,
    readonly subjects: ClusterSubjects,
    private readonly encoder: MessageEncoder,
    readonly log: ClusterLog,
  ) {
    this.warnings = new WarnOnce(log)
  }

  toAgent<K extends MessageKind>(agentId: string, kind: K, body: MessageBody<K>): void {
    try {
      this.transport.publish(this.subjects.agent(agentId), this.encoder.encode(kind, body))
    } catch (error) {
      this.warnings.warn(`publish:${kind}`, `coordinator ${this.coordinatorId} could not send "${kind}" on ${this.transport.description}: ${errorMessage(error)}`)
    }
  }

  /** Logs `message` the first time `key` comes up, and at debug level after that. */
  warnOnce(key: string, message: string): void {
    this.warnings.warn(key, message)
  }
}
