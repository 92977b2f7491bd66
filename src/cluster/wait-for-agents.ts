/**
 * Up-front check for a test run coordinated over NATS (the Vitest global
 * setup calls this once): connect, ask who is there, and resolve once
 * AgentsCount agents of the namespace have answered, idle or busy. Fails
 * within ClusterCommandTimeoutMs with an error naming those that did.
 */
import { hostname } from 'node:os'
import type { LoadspecConfig } from '../config/index.js'
import { AgentWaitReport } from './agent-wait-report.js'
import { AgentDirectory, oldestFirst } from './coordinator/agent-directory.js'
import { idConflictNote } from './coordinator/session-errors.js'
import { ClusterError, describeAgent, type AgentSummary } from './errors.js'
import { newNodeId } from './ids.js'
import { consoleClusterLog, type ClusterLog } from './log.js'
import { MessageEncoder, MessageGate } from './protocol/codec.js'
import { clusterSubjects } from './protocol/subjects.js'
import { createTransportFactory } from './transport/factory.js'
import type { ClusterTransport } from './transport/transport.js'

export interface WaitForAgentsOptions {
  /** Default: config.clusterCommandTimeoutMs. */
  readonly timeoutMs?: number
  readonly log?: ClusterLog
  /** Use this transport instead of connecting with the config's NATS options (it is left open). */
  readonly transport?: ClusterTransport
  /** Ends the wait (rejecting with the signal's reason) and closes what it opened, e.g. when an agent process died meanwhile. */
  readonly signal?: AbortSignal
}

/**
 * The agents that answered (at least AgentsCount of them). Resolves to []
 * at once when the config does not coordinate over NATS (Single, or
 * EnableLocalDevCluster).
 */
export async function waitForAgents(config: LoadspecConfig, options: WaitForAgentsOptions = {}): Promise<AgentSummary[]> {
  if (config.nodeType !== 'Coordinator' || config.enableLocalDevCluster) return []
  const log = options.log ?? consoleClusterLog('loadspec coordinator')
  const transport = options.transport ?? (await createTransportFactory(config, log).connect(`loadspec coordinator ${hostname()}:${process.pid} (agent check)`))
  try {
    return await awaitAgents(transport, config, options.timeoutMs ?? config.clusterCommandTimeoutMs, log, options.signal)
  } finally {
    if (options.transport === undefined) await transport.close()
  }
}

function awaitAgents(transport: ClusterTransport, config: LoadspecConfig, timeoutMs: number, log: ClusterLog, signal: AbortSignal | undefined): Promise<AgentSummary[]> {
  const namespace = { clusterId: config.clusterId, agentGroup: config.agentGroup }
  const senderId = newNodeId('coordinator')
  const gate = new MessageGate(namespace, log, `coordinator ${senderId}`)
  return new Promise<AgentSummary[]>((resolve, reject) => {
    const directory = new AgentDirectory(transport, clusterSubjects(config.clusterId, config.agentGroup), new MessageEncoder(namespace, senderId), gate, log)
    const report = new AgentWaitReport({ transport, namespace, needed: config.agentsCount, timeoutMs, log })
    directory.listen({
      onAnnounce: () => {
        if (directory.agents.size < config.agentsCount) return
        finish()
        resolve(directory.summaries())
      },
      // Only sessions settle a conflict (they tell the younger process to leave); the check just says so.
      onConflict: (conflict) => {
        const [keeper, ...others] = oldestFirst(conflict.instances)
        if (keeper !== undefined) log.warn(idConflictNote(conflict.agentId, keeper, others, 'to be told'))
      },
    })
    const timer = setTimeout(() => {
      const heard = directory.summaries()
      finish()
      reject(
        new ClusterError(
          'agents-missing',
          `Waited ${timeoutMs} ms for ${config.agentsCount} agent${config.agentsCount === 1 ? '' : 's'} (AgentsCount) of ClusterId "${config.clusterId}" ` +
            `and AgentGroup "${config.agentGroup}" on ${transport.description}; ` +
            `${heard.length === 0 ? 'no agent answered' : `${heard.length} answered: ${heard.map((agent) => `${describeAgent(agent)} [${agent.state}]`).join('; ')}`}. ` +
            'Start agents with the same ClusterId, AgentGroup and NatsServerUrl (npx loadspec agent --scenarios <files> --NodeType=Agent ...), or lower AgentsCount.',
          heard,
        ),
      )
    }, timeoutMs)
    const onAbort = (): void => {
      finish()
      reject(signal?.reason instanceof Error ? signal.reason : new Error(String(signal?.reason ?? 'the wait for agents was stopped')))
    }
    const finish = (): void => {
      report.stop()
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      directory.close()
    }
    if (signal?.aborted) return onAbort()
    signal?.addEventListener('abort', onAbort, { once: true })
    directory.start(config.heartbeatIntervalMs)
  })
}
