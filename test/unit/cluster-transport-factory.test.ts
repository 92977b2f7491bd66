/** Modes ask the factory for connections by config; each connection of an in-memory factory is on one bus. */
import { describe, expect, it } from 'vitest'
import { ClusterError } from '../../src/cluster/index.js'
import { createTransportFactory, transportKindOf } from '../../src/cluster/transport/factory.js'
import { silentClusterLog } from '../../src/cluster/log.js'

describe('the transport factory', () => {
  it('gives in-memory connections on one bus for the local dev cluster', async () => {
    const factory = createTransportFactory({ enableLocalDevCluster: true }, silentClusterLog)
    expect(factory.kind).toBe('in-memory')
    const [a, b] = await Promise.all([factory.connect('a'), factory.connect('b')])
    const received = new Promise<string>((resolve) => b.subscribe('loadspec.c.g.x', (payload) => resolve(new TextDecoder().decode(payload))))
    a.publish('loadspec.c.g.x', new TextEncoder().encode('hello'))
    expect(await received).toBe('hello')
    await factory.close()
    expect(() => a.publish('loadspec.c.g.x', new Uint8Array(1))).toThrow(/closed/)
  })

  it('gives NATS connections otherwise, checked at the edge like any NATS connection', async () => {
    expect(transportKindOf({ enableLocalDevCluster: false })).toBe('nats')
    const factory = createTransportFactory({ enableLocalDevCluster: false }, silentClusterLog)
    expect(factory.kind).toBe('nats')
    const error = await factory.connect('no url').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ClusterError)
    expect((error as ClusterError).message).toMatch(/^NatsServerUrl is not set/)
  })
})
