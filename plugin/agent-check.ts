/**
 * The global setup's up-front check for a run coordinated over NATS: are the
 * AgentsCount agents there? Asked once, before any test file runs, so missing
 * agents stop `vitest run` after ClusterCommandTimeoutMs with one message
 * naming who did answer, instead of every loadScenario waiting that long and
 * failing the same way in turn.
 */
import type { LoadspecConfig } from '../src/config/index.js'
import { ClusterError, describeAgent, type AgentSummary } from '../src/cluster/errors.js'

export type WaitForAgents = (config: LoadspecConfig) => Promise<readonly AgentSummary[]>

/** Coordinator without a local dev cluster: the agents are other processes, reached over NATS. */
export function coordinatesOverNats(config: Pick<LoadspecConfig, 'nodeType' | 'enableLocalDevCluster'>): boolean {
  return config.nodeType === 'Coordinator' && !config.enableLocalDevCluster
}

/**
 * Resolves with a line naming the agents that answered (undefined when the
 * config does not coordinate over NATS); rejects with a ClusterError of the
 * same code whose message says no test ran and why.
 */
export async function checkAgentsUpFront(config: LoadspecConfig, wait: WaitForAgents = defaultWait): Promise<string | undefined> {
  if (!coordinatesOverNats(config)) return undefined
  let agents: readonly AgentSummary[]
  try {
    agents = await wait(config)
  } catch (error) {
    throw upFrontError(error)
  }
  const listed = agents.map((agent) => `${describeAgent(agent)} [${agent.state}]`).join('; ')
  return `loadspec: ${agents.length} agent${agents.length === 1 ? '' : 's'} of ClusterId "${config.clusterId}" and AgentGroup "${config.agentGroup}" answered: ${listed}`
}

/** Imported when needed: a Single run never loads the NATS client. */
async function defaultWait(config: LoadspecConfig): Promise<readonly AgentSummary[]> {
  const { waitForAgents } = await import('../src/cluster/wait-for-agents.js')
  return waitForAgents(config)
}

function upFrontError(error: unknown): Error {
  const prefix = 'loadspec: no test ran. With NodeType "Coordinator", the global setup checks once that the agents are there, and this check failed:\n'
  // No `cause` for a ClusterError: its message is all there is to say, and Vitest would print it twice.
  if (error instanceof ClusterError) return new ClusterError(error.code, `${prefix}${error.message}`, error.agents)
  const wrapped = new Error(`${prefix}${error instanceof Error ? error.message : String(error)}`, { cause: error })
  wrapped.name = 'LoadspecAgentCheckError'
  return wrapped
}
