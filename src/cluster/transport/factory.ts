/**
 * Transports by factory (as nats.js picks its transport with
 * setTransportFactory): a mode asks for connections by config and never
 * names an implementation, so a new transport is one module and one entry
 * in TRANSPORTS. The NATS client is imported only when a NATS connection is
 * opened: a local dev cluster never loads it.
 */
import type { LoadspecConfig } from '../../config/index.js'
import type { ClusterLog } from '../log.js'
import { MemoryBus } from './memory.js'
import type { NatsSettings } from './nats-options.js'
import type { ClusterTransport } from './transport.js'

export type TransportKind = 'in-memory' | 'nats'

export interface TransportFactory {
  readonly kind: TransportKind
  /** Opens one connection; `name` says which node it is (NATS shows it as the connection name). */
  connect(name: string): Promise<ClusterTransport>
  /** Ends what the factory itself holds (the in-memory bus); each connection is closed by whoever opened it. */
  close(): Promise<void>
}

/** What the factories read from the configuration. */
export type TransportSettings = NatsSettings & Pick<LoadspecConfig, 'enableLocalDevCluster'>

const TRANSPORTS: { readonly [K in TransportKind]: (settings: TransportSettings, log: ClusterLog) => TransportFactory } = {
  // Every connection of one factory shares one bus: the local dev cluster's coordinator and agents.
  'in-memory': () => {
    const bus = new MemoryBus()
    return { kind: 'in-memory', connect: async (name) => bus.connect(name), close: () => bus.close() }
  },
  nats: (settings, log) => ({
    kind: 'nats',
    connect: async (name) => {
      const { connectNatsTransport } = await import('./nats.js')
      return connectNatsTransport(settings, { log, name })
    },
    close: async () => {},
  }),
}

/** EnableLocalDevCluster runs every node in this process on an in-memory bus; otherwise nodes meet over NATS. */
export function transportKindOf(settings: Pick<LoadspecConfig, 'enableLocalDevCluster'>): TransportKind {
  return settings.enableLocalDevCluster ? 'in-memory' : 'nats'
}

export function createTransportFactory(settings: TransportSettings, log: ClusterLog): TransportFactory {
  return TRANSPORTS[transportKindOf(settings)](settings, log)
}
