/**
 * The NATS transport, over @nats-io/transport-node (the maintained 3.x line
 * of nats.js; the `nats` package is its frozen 2.x predecessor). Connection
 * problems become ClusterErrors that say which URL, what went wrong and
 * what to check, with credentials masked.
 */
// The error classes are @nats-io/nats-core's, re-exported by the Node transport (one copy of the classes, so instanceof holds).
import {
  AuthorizationError,
  ConnectionError,
  PermissionViolationError,
  TimeoutError,
  UserAuthenticationExpiredError,
  connect,
  type NatsConnection,
  type Status,
  type Subscription,
} from '@nats-io/transport-node'
import { maskUrlCredentials } from '../../config/errors.js'
import { ClusterError } from '../errors.js'
import type { ClusterLog } from '../log.js'
import { hostAndPort, natsConnectionOptions, RECONNECT_WAIT_MS, serverIdentityCheck, type NatsSettings } from './nats-options.js'
import { probeTls } from './tls-probe.js'
import type { ClusterTransport, MessageHandler, TransportStatus } from './transport.js'

export interface NatsTransportOptions {
  readonly log: ClusterLog
  /** Connection name when NatsName is not set. */
  readonly name: string
  /** Bound on the first connection attempt (default 5000 ms). */
  readonly connectTimeoutMs?: number
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5000
const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024
const CLOSE_FLUSH_BOUND_MS = 1000

export async function connectNatsTransport(settings: NatsSettings, options: NatsTransportOptions): Promise<NatsTransport> {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  const connectionOptions = natsConnectionOptions(settings, { name: options.name, connectTimeoutMs })
  const urls = maskUrlCredentials((settings.natsServerUrl ?? []).join(', '))
  if ((settings.natsServerUrl ?? []).some((url) => /^wss?:/i.test(url))) {
    throw new ClusterError(
      'connect-failed',
      `NatsServerUrl ${urls}: websocket URLs (ws://, wss://) are not supported by the Node transport; use the server's client port with nats:// or tls://`,
    )
  }
  if (connectionOptions.tls !== undefined && connectionOptions.tls !== null) await failFastOnTlsRefusal(settings, urls, connectTimeoutMs)
  let connection: NatsConnection
  try {
    connection = await connect(connectionOptions)
  } catch (error) {
    throw new ClusterError('connect-failed', `Could not connect to NATS at ${urls}: ${describeConnectError(error)}`, [], { cause: error })
  }
  return new NatsTransport(connection, urls, options.log)
}

export class NatsTransport implements ClusterTransport {
  readonly description: string
  private readonly statusListeners = new Set<(status: TransportStatus) => void>()
  private closing: Promise<void> | undefined
  /** Between a disconnect and the reconnect: nothing can be flushed then. */
  private disconnected = false

  constructor(
    private readonly connection: NatsConnection,
    urls: string,
    private readonly log: ClusterLog,
  ) {
    this.description = `NATS ${urls}`
    void this.watchStatus()
  }

  get maxPayloadBytes(): number {
    return this.connection.info?.max_payload ?? DEFAULT_MAX_PAYLOAD_BYTES
  }

  publish(subject: string, payload: Uint8Array): void {
    this.connection.publish(subject, payload)
  }

  subscribe(subject: string, handler: MessageHandler): () => void {
    const subscription: Subscription = this.connection.subscribe(subject, {
      callback: (error, message) => {
        if (error !== null) {
          this.log.warn(`subscription ${subject} on ${this.description} failed: ${error.message}`)
          return
        }
        handler(message.data, message.subject)
      },
    })
    return () => {
      if (!this.connection.isClosed()) subscription.unsubscribe()
    }
  }

  async flush(): Promise<void> {
    if (this.connection.isClosed() || this.disconnected) return
    await withBound(this.connection.flush(), CLOSE_FLUSH_BOUND_MS)
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.flush().catch(() => {})
      await this.connection.close().catch(() => {})
    })()
    return this.closing
  }

  onStatus(listener: (status: TransportStatus) => void): () => void {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }

  private async watchStatus(): Promise<void> {
    try {
      for await (const status of this.connection.status()) this.onConnectionStatus(status)
    } catch {
      // The iterator ends (or throws) when the connection closes: nothing left to watch.
    }
    for (const listener of this.statusListeners) listener('closed')
  }

  private onConnectionStatus(status: Status): void {
    if (status.type === 'disconnect') {
      this.disconnected = true
      // Said plainly: whoever reads this next sees heartbeats stop, and should look at the broker first.
      this.log.warn(`disconnected from NATS ${maskUrlCredentials(status.server)} (broker down or unreachable); reconnecting every ${RECONNECT_WAIT_MS} ms`)
      for (const listener of this.statusListeners) listener('disconnected')
    } else if (status.type === 'reconnect') {
      this.disconnected = false
      this.log.info(`reconnected to NATS ${maskUrlCredentials(status.server)}`)
      for (const listener of this.statusListeners) listener('reconnected')
    } else if (status.type === 'error') {
      this.log.warn(`NATS error: ${maskUrlCredentials(status.error.message)}`)
    }
  }
}

/** A server that refuses this client's certificate is reported now, not as a timeout later (see tls-probe.ts). */
async function failFastOnTlsRefusal(settings: NatsSettings, urls: string, timeoutMs: number): Promise<void> {
  const servers = settings.natsServerUrl ?? []
  const first = hostAndPort(servers[0] ?? '')
  if (first === undefined) return
  const refusal = await probeTls(
    {
      ...first,
      ...(settings.natsTlsCaFile === undefined ? {} : { caFile: settings.natsTlsCaFile }),
      ...(settings.natsTlsCertFile === undefined ? {} : { certFile: settings.natsTlsCertFile }),
      ...(settings.natsTlsKeyFile === undefined ? {} : { keyFile: settings.natsTlsKeyFile }),
      checkServerIdentity: serverIdentityCheck(servers),
    },
    timeoutMs,
  )
  if (refusal !== undefined) throw new ClusterError('connect-failed', `Could not connect to NATS at ${urls}: ${describeConnectError(refusal)}`, [], { cause: refusal })
}

/**
 * The cause in words, with a hint at what to check. nats.js's typed errors
 * decide first; the words of the message only where there is no type to go
 * by: TLS and socket errors (Node's or OpenSSL's, wrapped or not).
 */
export function describeConnectError(error: unknown): string {
  const message = maskUrlCredentials(error instanceof Error ? error.message : String(error))
  if (error instanceof AuthorizationError || error instanceof UserAuthenticationExpiredError || error instanceof PermissionViolationError) {
    return `${message} (${CREDENTIALS_HINT})`
  }
  if (error instanceof TimeoutError) return `${message} (${NO_ANSWER_HINT})`
  const code = errorCode(error) ?? (error instanceof ConnectionError ? errorCode(error.cause) : undefined) ?? ''
  if (code === 'ECONNREFUSED') return `${message} (${NOTHING_LISTENS_HINT})`
  const text = `${code} ${message}`.toLowerCase()
  if (text.includes('econnrefused') || text.includes('connection refused')) return `${message} (${NOTHING_LISTENS_HINT})`
  if (text.includes('authorization') || text.includes('authentication') || text.includes('permissions')) return `${message} (${CREDENTIALS_HINT})`
  if (text.includes('tls') || text.includes('certificate') || text.includes('ssl')) return describeTlsError(message, code)
  if (text.includes('timeout')) return `${message} (${NO_ANSWER_HINT})`
  return message
}

const CREDENTIALS_HINT = 'check NatsToken, NatsUser/NatsPassword, NatsCredsFile or NatsNkeySeedFile'
const NO_ANSWER_HINT = 'no answer in time: check the host, port and firewall'
const NOTHING_LISTENS_HINT = 'nothing listens there: is nats-server running on that host and port?'

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined
}

const TLS_FILES_HINT = 'check NatsTlsCaFile, NatsTlsCertFile and NatsTlsKeyFile, and that the URL uses tls://'

/** OpenSSL's words turned into what happened and which file to look at. */
function describeTlsError(message: string, code: string): string {
  // "…:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:…" → "bad certificate"
  const alert = /alert ([a-z ]+?)(?::|$)/i.exec(message)?.[1]
  if (alert !== undefined) {
    return (
      `the server refused this client's TLS certificate (TLS alert "${alert}"): NatsTlsCertFile and NatsTlsKeyFile must hold a ` +
      `certificate signed by a CA the server trusts (its tls ca_file), and the server may require one (tls verify) (${TLS_FILES_HINT})`
    )
  }
  if (/unable to verify|self[- ]signed|local issuer|unable to get issuer/i.test(message)) {
    return `the server's TLS certificate is not signed by a CA this client trusts (${message}): set NatsTlsCaFile to the CA that signed it (${TLS_FILES_HINT})`
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `the server's TLS certificate is not made for this host (${message}): connect with a host name or IP it names, or issue it for this one (${TLS_FILES_HINT})`
  }
  return `${message} (${TLS_FILES_HINT})`
}

async function withBound(promise: Promise<void>, boundMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, boundMs)))])
  } finally {
    clearTimeout(timer)
  }
}
