/**
 * Turns the NATS configuration keys into the client's connection options,
 * once, at the edge: URLs, connection name, token, user/password, a .creds
 * file or an NKey seed file, TLS (CA, client certificate and key). Files
 * are read and checked here, so a missing or malformed one is reported by
 * its key before connecting, without echoing its content.
 */
import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { checkServerIdentity, type PeerCertificate } from 'node:tls'
import { credsAuthenticator, nkeyAuthenticator, nkeys, type Authenticator, type NodeConnectionOptions } from '@nats-io/transport-node'
import type { LoadspecConfig } from '../../config/index.js'
import { ClusterError } from '../errors.js'

export type NatsSettings = Pick<
  LoadspecConfig,
  | 'natsServerUrl'
  | 'natsName'
  | 'natsToken'
  | 'natsUser'
  | 'natsPassword'
  | 'natsCredsFile'
  | 'natsNkeySeedFile'
  | 'natsTlsCaFile'
  | 'natsTlsCertFile'
  | 'natsTlsKeyFile'
> &
  Partial<Pick<LoadspecConfig, 'agentLostTimeoutMs'>>

/** Pause between reconnect attempts: a broker restarted within a couple of seconds is back within this much. */
export const RECONNECT_WAIT_MS = 250

/**
 * A broker that hangs (process stopped, link partitioned) closes no socket:
 * only unanswered pings tell. Pinging every AgentLostTimeoutMs / 5 with two
 * pings outstanding at most, the connection is known stale 2–3 ping
 * intervals (at most 0.6 × AgentLostTimeoutMs) after the broker stopped
 * answering, before anyone would be declared lost for their silence.
 */
export function brokerPing(agentLostTimeoutMs: number): { readonly pingInterval: number; readonly maxPingOut: number } {
  return { pingInterval: Math.max(MIN_PING_INTERVAL_MS, Math.round(agentLostTimeoutMs / 5)), maxPingOut: 2 }
}

const MIN_PING_INTERVAL_MS = 100
const DEFAULT_AGENT_LOST_TIMEOUT_MS = 5000

export interface NatsOptionDefaults {
  /** Connection name when NatsName is not set (shown by the server's monitoring). */
  readonly name: string
  /** How long the first connection attempt may take. */
  readonly connectTimeoutMs: number
}

export function natsConnectionOptions(settings: NatsSettings, defaults: NatsOptionDefaults): NodeConnectionOptions {
  const servers = settings.natsServerUrl ?? []
  if (servers.length === 0) {
    throw new ClusterError('connect-failed', 'NatsServerUrl is not set: agents and the coordinator need the URL of a NATS server, e.g. nats://127.0.0.1:4222')
  }
  const fromUrls = credentialsInUrls(servers)
  const authenticators: Authenticator[] = []
  if (settings.natsCredsFile !== undefined) authenticators.push(credsAuthenticator(readCredsFile(settings.natsCredsFile)))
  if (settings.natsNkeySeedFile !== undefined) authenticators.push(nkeyAuthenticator(readNkeySeed(settings.natsNkeySeedFile)))
  const usesTls =
    servers.some((url) => /^(tls|wss):/i.test(url)) ||
    settings.natsTlsCaFile !== undefined ||
    settings.natsTlsCertFile !== undefined
  // Explicit keys win over credentials written into the URL.
  const token = settings.natsToken ?? fromUrls.token
  const user = settings.natsUser ?? fromUrls.user
  const pass = settings.natsPassword ?? fromUrls.pass
  return {
    servers: fromUrls.servers,
    name: settings.natsName ?? defaults.name,
    timeout: defaults.connectTimeoutMs,
    // The state machines decide when a peer is gone (heartbeats); the connection itself never gives up.
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: RECONNECT_WAIT_MS,
    ...brokerPing(settings.agentLostTimeoutMs ?? DEFAULT_AGENT_LOST_TIMEOUT_MS),
    // An unreachable URL fails the first connect at once, with its cause, instead of retrying quietly.
    // Later outages are retried forever; what is published meanwhile is dropped by the client (it
    // resets its buffer on every reconnect attempt), so the protocol re-sends what matters.
    waitOnFirstConnect: false,
    ...(token === undefined ? {} : { token }),
    ...(user === undefined ? {} : { user }),
    ...(pass === undefined ? {} : { pass }),
    ...(authenticators.length === 0 ? {} : { authenticator: authenticators.length === 1 ? authenticators[0] : authenticators }),
    ...(usesTls ? { tls: tlsOptions(settings, fromUrls.servers) } : {}),
  }
}

type NatsTlsOptions = NonNullable<NodeConnectionOptions['tls']>

/**
 * nats.js upgrades its socket to TLS without a host name when a URL names an
 * IP address, so Node checks the server's certificate against "localhost" and
 * refuses a certificate made for that IP. The certificate is checked against
 * the IPs of the configured URLs instead (still against their CA).
 */
function tlsOptions(settings: NatsSettings, servers: readonly string[]): NatsTlsOptions {
  const options: NatsTlsOptions & { checkServerIdentity: ServerIdentityCheck } = {
    ...(settings.natsTlsCaFile === undefined ? {} : { caFile: settings.natsTlsCaFile }),
    ...(settings.natsTlsCertFile === undefined ? {} : { certFile: settings.natsTlsCertFile }),
    ...(settings.natsTlsKeyFile === undefined ? {} : { keyFile: settings.natsTlsKeyFile }),
    checkServerIdentity: serverIdentityCheck(servers),
  }
  return options
}

export type ServerIdentityCheck = (host: string, cert: PeerCertificate) => Error | undefined

/** Node's check, except that "localhost" (what Node assumes for a hostless upgrade) stands for the IPs of the URLs. */
export function serverIdentityCheck(servers: readonly string[]): ServerIdentityCheck {
  const ips = servers.map(hostOf).filter((host): host is string => host !== undefined && isIP(host) !== 0)
  return (host, cert) => {
    const asGiven = checkServerIdentity(host, cert)
    if (asGiven === undefined || host !== 'localhost' || ips.length === 0) return asGiven
    const byIp = ips.map((ip) => checkServerIdentity(ip, cert))
    return byIp.some((error) => error === undefined) ? undefined : byIp[0]
  }
}

/** Host and port of a NATS URL (default port 4222), without credentials. */
export function hostAndPort(url: string): { readonly host: string; readonly port: number } | undefined {
  try {
    const parsed = new URL(url)
    const host = hostOf(url)
    return host === undefined ? undefined : { host, port: parsed.port === '' ? 4222 : Number(parsed.port) }
  } catch {
    return undefined
  }
}

interface UrlCredentials {
  /** The URLs without their user info. */
  readonly servers: string[]
  readonly user?: string
  readonly pass?: string
  readonly token?: string
}

/**
 * nats.js 3 ignores user info in URLs, while NATS' docs and other clients
 * take `nats://user:pass@host` and `nats://token@host`: lift it out here.
 * Every URL that carries some must carry the same.
 */
function credentialsInUrls(urls: readonly string[]): UrlCredentials {
  let found: { user: string; pass: string | undefined } | undefined
  const servers = urls.map((url) => {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      return url
    }
    if (parsed.username === '' && parsed.password === '') return url
    const entry = { user: decodeURIComponent(parsed.username), pass: parsed.password === '' ? undefined : decodeURIComponent(parsed.password) }
    if (found !== undefined && (found.user !== entry.user || found.pass !== entry.pass)) {
      throw new ClusterError('connect-failed', 'NatsServerUrl entries carry different credentials (user info before "@"); give them once, in NatsUser/NatsPassword or NatsToken')
    }
    found = entry
    parsed.username = ''
    parsed.password = ''
    return parsed.toString()
  })
  if (found === undefined) return { servers }
  return found.pass === undefined ? { servers, token: found.user } : { servers, user: found.user, pass: found.pass }
}

function hostOf(url: string): string | undefined {
  try {
    // IPv6 hosts come bracketed: [::1].
    return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1')
  } catch {
    return undefined
  }
}

/** The .creds file's bytes, once it is known to hold a user JWT and a seed (nats.js would fail later, less clearly). */
function readCredsFile(path: string): Uint8Array {
  const bytes = readKeyFile('NatsCredsFile', path)
  const text = new TextDecoder().decode(bytes)
  if (!/-{3,}BEGIN NATS USER JWT-{3,}/.test(text) || !/-{3,}BEGIN USER NKEY SEED-{3,}/.test(text)) {
    throw new ClusterError('connect-failed', `NatsCredsFile ${path} is not a NATS credentials file (it needs a "BEGIN NATS USER JWT" and a "BEGIN USER NKEY SEED" block, as nsc writes them)`)
  }
  return bytes
}

/** The seed in the file (surrounding blanks and comment lines ignored), checked without ever echoing it. */
function readNkeySeed(path: string): Uint8Array {
  const text = new TextDecoder().decode(readKeyFile('NatsNkeySeedFile', path))
  const seed = text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line.length > 0 && !line.startsWith('#') && !line.startsWith('//'))
  try {
    if (seed === undefined) throw new Error('empty')
    nkeys.fromSeed(new TextEncoder().encode(seed))
  } catch {
    throw new ClusterError('connect-failed', `NatsNkeySeedFile ${path} does not hold an NKey seed (one line starting with "S", e.g. "SU..." for a user, as nk or nsc write it)`)
  }
  return new TextEncoder().encode(seed)
}

function readKeyFile(key: string, path: string): Uint8Array {
  try {
    return readFileSync(path)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new ClusterError('connect-failed', `${key} ${path} cannot be read: ${reason}`, [], { cause: error })
  }
}
