/**
 * Turns the NATS configuration keys into the client's connection options,
 * once, at the edge: URLs, connection name, token, user/password, a .creds
 * file or an NKey seed file, TLS (CA, client certificate and key). Files
 * are read here so a missing one is reported by its key before connecting.
 */
import { readFileSync } from 'node:fs'
import { credsAuthenticator, nkeyAuthenticator, type Authenticator, type NodeConnectionOptions } from '@nats-io/transport-node'
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
>

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
  const authenticators: Authenticator[] = []
  if (settings.natsCredsFile !== undefined) authenticators.push(credsAuthenticator(readKeyFile('NatsCredsFile', settings.natsCredsFile)))
  if (settings.natsNkeySeedFile !== undefined) {
    const seed = new TextDecoder().decode(readKeyFile('NatsNkeySeedFile', settings.natsNkeySeedFile)).trim()
    authenticators.push(nkeyAuthenticator(new TextEncoder().encode(seed)))
  }
  const usesTls =
    servers.some((url) => /^(tls|wss):/i.test(url)) ||
    settings.natsTlsCaFile !== undefined ||
    settings.natsTlsCertFile !== undefined
  return {
    servers,
    name: settings.natsName ?? defaults.name,
    timeout: defaults.connectTimeoutMs,
    // The state machines decide when a peer is gone (heartbeats); the connection itself never gives up.
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    // A broker restart must not lose what an agent publishes meanwhile (final stats are re-sent anyway).
    waitOnFirstConnect: false,
    ...(settings.natsToken === undefined ? {} : { token: settings.natsToken }),
    ...(settings.natsUser === undefined ? {} : { user: settings.natsUser }),
    ...(settings.natsPassword === undefined ? {} : { pass: settings.natsPassword }),
    ...(authenticators.length === 0 ? {} : { authenticator: authenticators.length === 1 ? authenticators[0] : authenticators }),
    ...(usesTls
      ? {
          tls: {
            ...(settings.natsTlsCaFile === undefined ? {} : { caFile: settings.natsTlsCaFile }),
            ...(settings.natsTlsCertFile === undefined ? {} : { certFile: settings.natsTlsCertFile }),
            ...(settings.natsTlsKeyFile === undefined ? {} : { keyFile: settings.natsTlsKeyFile }),
          },
        }
      : {}),
  }
}

function readKeyFile(key: string, path: string): Uint8Array {
  try {
    return readFileSync(path)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new ClusterError('connect-failed', `${key} ${path} cannot be read: ${reason}`, [], { cause: error })
  }
}
