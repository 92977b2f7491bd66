/**
 * The global setup's up-front agent check, with waitForAgents replaced: who
 * is asked, what a success prints, what a failure says. Against a real
 * nats-server and real agents it runs in test/e2e/vitest-cluster-nats.test.ts.
 */
import { describe, expect, test } from 'vitest'
import { ClusterError, type AgentSummary } from '../src/cluster/errors.js'
import { resolveConfig, type LoadspecConfig, type LoadspecConfigInput } from '../src/config/index.js'
import { checkAgentsUpFront, coordinatesOverNats } from './agent-check.js'

const agents: AgentSummary[] = [
  { agentId: 'agent-a', host: 'ci', pid: 11, state: 'idle', scenarios: ['checkout'] },
  { agentId: 'agent-b', host: 'ci', pid: 12, state: 'busy', scenarios: ['checkout'] },
]

function config(builder: LoadspecConfigInput): LoadspecConfig {
  return resolveConfig({ builder, argv: [], env: {} })
}

const coordinator = config({ nodeType: 'Coordinator', natsServerUrl: 'nats://127.0.0.1:4222', clusterId: 'shop', agentGroup: 'eu', agentsCount: 3 })

describe('checkAgentsUpFront', () => {
  test('asks nothing unless the config coordinates over NATS', async () => {
    const asked: LoadspecConfig[] = []
    const wait = async (asking: LoadspecConfig): Promise<AgentSummary[]> => {
      asked.push(asking)
      return agents
    }
    expect(await checkAgentsUpFront(config({}), wait)).toBeUndefined()
    expect(await checkAgentsUpFront(config({ nodeType: 'Coordinator', enableLocalDevCluster: true, agentsCount: 2 }), wait)).toBeUndefined()
    expect(await checkAgentsUpFront(config({ enableLocalDevCluster: true, agentsCount: 2 }), wait)).toBeUndefined()
    expect(asked).toEqual([])
    expect(await checkAgentsUpFront(coordinator, wait)).toBe(
      'loadspec: 2 agents of ClusterId "shop" and AgentGroup "eu" answered: agent-a (host ci, pid 11) [idle]; agent-b (host ci, pid 12) [busy]',
    )
    expect(asked).toEqual([coordinator])
  })

  test('fails with a ClusterError of the same code that says no test ran, keeping who answered', async () => {
    const missing = new ClusterError('agents-missing', 'Waited 2000 ms for 3 agents (AgentsCount) ...; 2 answered: agent-a (host ci, pid 11) [idle]; agent-b', agents)
    const error = await checkAgentsUpFront(coordinator, () => Promise.reject(missing)).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ClusterError)
    expect(error).toMatchObject({ code: 'agents-missing', agents })
    expect((error as Error).message).toBe(
      `loadspec: no test ran. With NodeType "Coordinator", the global setup checks once that the agents are there, and this check failed:\n${missing.message}`,
    )
  })

  test('wraps other failures the same way', async () => {
    const error = await checkAgentsUpFront(coordinator, () => Promise.reject(new Error('socket hang up'))).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ name: 'LoadspecAgentCheckError', message: expect.stringMatching(/check failed:\nsocket hang up$/) })
  })
})

test('coordinatesOverNats', () => {
  expect(coordinatesOverNats({ nodeType: 'Coordinator', enableLocalDevCluster: false })).toBe(true)
  expect(coordinatesOverNats({ nodeType: 'Coordinator', enableLocalDevCluster: true })).toBe(false)
  expect(coordinatesOverNats({ nodeType: 'Single', enableLocalDevCluster: false })).toBe(false)
  expect(coordinatesOverNats({ nodeType: 'Agent', enableLocalDevCluster: false })).toBe(false)
})
