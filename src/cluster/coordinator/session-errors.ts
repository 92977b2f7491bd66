/** The wording of the errors a coordinator session fails with before load starts: what happened, who, and what to do. */
import type { LoadspecConfig } from '../../config/index.js'
import { ClusterError, describeAgent, quoteList, type AgentSummary } from '../errors.js'

export interface AgentsMissingFacts {
  readonly coordinatorId: string
  readonly config: Pick<LoadspecConfig, 'agentsCount' | 'clusterCommandTimeoutMs' | 'clusterId' | 'agentGroup'>
  readonly transportDescription: string
  /** Every agent of the namespace that answered. */
  readonly heard: readonly AgentSummary[]
  /** What became of an agent in this session ("idle", "busy with another session", …). */
  readonly noteOf: (agent: AgentSummary) => string
  /** Slots that have an agent. */
  readonly usable: number
}

export function agentsMissingError(facts: AgentsMissingFacts): ClusterError {
  const { config, heard } = facts
  const answered = heard.length === 0 ? 'no agent answered' : `${heard.length} answered: ${heard.map((agent) => `${describeAgent(agent)} [${facts.noteOf(agent)}]`).join('; ')}`
  const missing = config.agentsCount - facts.usable
  return new ClusterError(
    'agents-missing',
    `Coordinator ${facts.coordinatorId} waited ${config.clusterCommandTimeoutMs} ms (ClusterCommandTimeoutMs) for ` +
      `${config.agentsCount} agent${config.agentsCount === 1 ? '' : 's'} (AgentsCount) of ClusterId "${config.clusterId}" ` +
      `and AgentGroup "${config.agentGroup}" on ${facts.transportDescription}; ${answered}. ${missing} more ` +
      `${missing === 1 ? 'agent is' : 'agents are'} missing: start agents with the same ClusterId, AgentGroup and NatsServerUrl ` +
      '(npx loadspec agent --scenarios <files> --NodeType=Agent ...), or lower AgentsCount.',
    heard,
  )
}

/** Inits that did not finish in time: the agents still initializing, and the coordinator's own scenarios if it is one of them. */
export function initTimeoutError(timeoutMs: number, waiting: readonly AgentSummary[], coordinatorScenariosWaiting: readonly string[]): ClusterError {
  const who = waiting.map((agent) => describeAgent(agent))
  if (coordinatorScenariosWaiting.length > 0) who.push(`the coordinator itself (scenarios ${quoteList(coordinatorScenariosWaiting)})`)
  return new ClusterError(
    'agents-not-ready',
    `Inits did not finish within ${timeoutMs} ms (ClusterCommandTimeoutMs): still initializing: ${who.join('; ')}. ` +
      'Raise ClusterCommandTimeoutMs if inits legitimately take that long.',
    waiting,
  )
}
