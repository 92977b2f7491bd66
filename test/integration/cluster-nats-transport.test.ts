/**
 * What only the NATS transport does: connecting (and failing to, clearly
 * and fast), authentication, and the up-front agent check the Vitest global
 * setup uses. Auth variants and broker restarts beyond this belong to the
 * fault-handling tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Response, Scenario, Simulation, resolveConfig } from '../../src/index.js'
import { ClusterAgent, ClusterError, connectNatsTransport, silentClusterLog, waitForAgents, type NatsTransport } from '../../src/cluster/index.js'
import { freePort, startNatsServer, type NatsServerHandle } from '../support/nats-server.js'

const TOKEN = 's3cret-token'
let nats: NatsServerHandle

beforeAll(async () => {
  nats = await startNatsServer(['--auth', TOKEN])
})

afterAll(async () => {
  await nats?.stop()
})

async function connectError(settings: Parameters<typeof connectNatsTransport>[0]) {
  const started = performance.now()
  const error = await connectNatsTransport(settings, { log: silentClusterLog, name: 'test' }).then(
    async (transport) => {
      await transport.close()
      return undefined
    },
    (caught: unknown) => caught,
  )
  return { error: error as ClusterError, elapsedMs: performance.now() - started }
}

describe('the NATS transport', () => {
  it('connects with the right token and carries messages', async () => {
    const transport = await connectNatsTransport({ natsServerUrl: [nats.url], natsToken: TOKEN }, { log: silentClusterLog, name: 'test' })
    try {
      const received = new Promise<string>((resolve) => transport.subscribe('loadspec.t.g.x', (payload) => resolve(new TextDecoder().decode(payload))))
      await transport.flush()
      transport.publish('loadspec.t.g.x', new TextEncoder().encode('hello'))
      expect(await received).toBe('hello')
      expect(transport.maxPayloadBytes).toBeGreaterThan(64 * 1024)
    } finally {
      await transport.close()
    }
  })

  it('refuses wrong credentials at connect, saying what to check, without printing them', async () => {
    const { error, elapsedMs } = await connectError({ natsServerUrl: [nats.url.replace('nats://', 'nats://someone:guessed@')], natsToken: 'wrong-token' })
    expect(error).toBeInstanceOf(ClusterError)
    expect(error.code).toBe('connect-failed')
    expect(error.message).toMatch(/Could not connect to NATS at nats:\/\/\*\*\*@127\.0\.0\.1:\d+: Authorization Violation \(check NatsToken/)
    expect(error.message).not.toContain('wrong-token')
    expect(error.message).not.toContain('guessed')
    expect(elapsedMs).toBeLessThan(3000)
  })

  it('fails fast on an unreachable URL, naming the URL and the cause', async () => {
    const port = await freePort()
    const { error, elapsedMs } = await connectError({ natsServerUrl: [`nats://127.0.0.1:${port}`] })
    expect(error.code).toBe('connect-failed')
    expect(error.message).toBe(`Could not connect to NATS at nats://127.0.0.1:${port}: connection refused (nothing listens there: is nats-server running on that host and port?)`)
    expect(elapsedMs).toBeLessThan(3000)
  })

  it('reports an unreadable credentials file by its key before connecting', async () => {
    const { error } = await connectError({ natsServerUrl: [nats.url], natsCredsFile: '/nonexistent/user.creds' })
    expect(error.message).toMatch(/^NatsCredsFile \/nonexistent\/user\.creds cannot be read: ENOENT/)
  })
})

describe('waitForAgents (what the Vitest global setup calls once, up front)', () => {
  const agentTransports: NatsTransport[] = []
  const agents: ClusterAgent[] = []
  const coordinatorConfig = (agentsCount: number) =>
    resolveConfig({
      argv: [],
      env: {},
      builder: { nodeType: 'Coordinator', natsServerUrl: nats.url, natsToken: TOKEN, clusterId: 'wait', agentGroup: 'g', agentsCount, clusterCommandTimeoutMs: 800 },
    })

  beforeAll(async () => {
    const scenario = Scenario.create('s', () => Response.ok()).withLoadSimulations(Simulation.inject(1, 1, 1))
    for (const agentId of ['waiting-agent-1', 'waiting-agent-2']) {
      const transport = await connectNatsTransport({ natsServerUrl: [nats.url], natsToken: TOKEN }, { log: silentClusterLog, name: agentId })
      const agent = new ClusterAgent({ scenarios: [scenario], transport, clusterId: 'wait', agentGroup: 'g', agentId })
      agent.start()
      agentTransports.push(transport)
      agents.push(agent)
    }
  })

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()))
    await Promise.all(agentTransports.map((transport) => transport.close()))
  })

  it('resolves with the agents that answered once AgentsCount are there', async () => {
    const found = await waitForAgents(coordinatorConfig(2), { log: silentClusterLog })
    expect(found.map((agent) => agent.agentId).sort()).toEqual(['waiting-agent-1', 'waiting-agent-2'])
    expect(found.every((agent) => agent.state === 'idle' && agent.scenarios.includes('s'))).toBe(true)
  })

  it('fails within the timeout naming the agents that did answer', async () => {
    const error = (await waitForAgents(coordinatorConfig(3), { log: silentClusterLog }).catch((caught: unknown) => caught)) as ClusterError
    expect(error.code).toBe('agents-missing')
    expect(error.message).toMatch(/^Waited 800 ms for 3 agents \(AgentsCount\) of ClusterId "wait" and AgentGroup "g" on NATS nats:\/\/127\.0\.0\.1:\d+; 2 answered: waiting-agent-\d \(host .*\) \[idle\]; waiting-agent-\d/)
  })

  it('resolves at once with nothing to wait for when the run is not coordinated over NATS', async () => {
    const local = resolveConfig({ argv: [], env: {}, builder: { enableLocalDevCluster: true, agentsCount: 2 } })
    expect(await waitForAgents(local)).toEqual([])
  })
})
