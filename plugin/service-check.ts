/**
 * The global setup's up-front look at the coordinator service for NodeType
 * Client: one status request, one line ("coordinator shop/eu (…): 4 agents
 * (4 idle), 0 sessions running, 1 queued"). No service answering within a
 * few seconds (AgentLostTimeoutMs, at most 5 s) stops the run before any
 * test file runs, with a message that says what to start.
 */
import type { LoadspecConfig } from '../src/config/index.js'
import { ClusterError } from '../src/cluster/errors.js'

export type AskService = (config: LoadspecConfig, timeoutMs: number) => Promise<string>

export async function checkServiceUpFront(config: LoadspecConfig, ask: AskService = defaultAsk): Promise<string | undefined> {
  if (config.nodeType !== 'Client') return undefined
  try {
    return `loadspec: ${await ask(config, Math.min(config.agentLostTimeoutMs, 5000))}`
  } catch (error) {
    const prefix = 'loadspec: no test ran. With NodeType "Client", the global setup asks the coordinator service for its status once, and it did not answer:\n'
    if (error instanceof ClusterError) throw new ClusterError(error.code, `${prefix}${error.message}`)
    throw error
  }
}

/** Imported when needed: a Single run never loads the NATS client. */
async function defaultAsk(config: LoadspecConfig, timeoutMs: number): Promise<string> {
  const [{ queryServiceStatus, statusLine }, { createTransportFactory }, { silentClusterLog }] = await Promise.all([
    import('../src/cluster/service/status-query.js'),
    import('../src/cluster/transport/factory.js'),
    import('../src/cluster/log.js'),
  ])
  const transports = createTransportFactory(config, silentClusterLog)
  const transport = await transports.connect('loadspec global setup (service status)')
  try {
    return statusLine(await queryServiceStatus({ transport, config, timeoutMs }))
  } finally {
    await transport.close()
    await transports.close()
  }
}
