/**
 * Asking a coordinator service what it is doing (`loadspec coordinator
 * --status`, the global setup of NodeType Client), and the lines that show
 * the answer.
 */
import { randomBytes } from 'node:crypto'
import type { LoadspecConfig } from '../../config/index.js'
import { ClusterError, quoteList } from '../errors.js'
import { silentClusterLog } from '../log.js'
import { clusterSubjects } from '../protocol/subjects.js'
import type { ClusterTransport } from '../transport/transport.js'
import { defaultClientId } from './client-session.js'
import { ServiceCodec } from './codec.js'
import { serviceSubjects, type ServiceStatus } from './protocol.js'

export interface StatusQuery {
  readonly transport: ClusterTransport
  readonly config: Pick<LoadspecConfig, 'clusterId' | 'agentGroup' | 'clientId'>
  readonly clientId?: string
  /** How long to wait for the answer (the request is repeated every 250 ms meanwhile). */
  readonly timeoutMs: number
  /** Stops asking at once (the query rejects with the signal's reason): its caller has its answer another way. */
  readonly signal?: AbortSignal
}

export async function queryServiceStatus(query: StatusQuery): Promise<ServiceStatus> {
  const { transport, config } = query
  const clientId = query.clientId ?? config.clientId ?? defaultClientId()
  const replyId = `status-${randomBytes(6).toString('hex')}`
  const subjects = serviceSubjects(clusterSubjects(config.clusterId, config.agentGroup))
  const codec = new ServiceCodec(config, clientId, silentClusterLog, `client ${clientId}`)
  let resolveStatus: (status: ServiceStatus) => void = () => {}
  const answered = new Promise<ServiceStatus>((resolve) => (resolveStatus = resolve))
  const unsubscribe = transport.subscribe(subjects.client(clientId, replyId), (payload, subject) => {
    const status = codec.open(payload, subject, ['status'])
    if (status !== undefined && status.replyId === replyId) resolveStatus(status)
  })
  const ask = (): void => transport.publish(subjects.status, codec.encode('status-request', { clientId, replyId }))
  ask()
  const repeat = setInterval(ask, 250)
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ClusterError(
            'service-unreachable',
            `No coordinator service answered a status request on ${subjects.status} (ClusterId "${config.clusterId}", AgentGroup "${config.agentGroup}", ${transport.description}) within ${query.timeoutMs} ms: ` +
              'is `loadspec coordinator` running with this ClusterId and AgentGroup?',
          ),
        ),
      query.timeoutMs,
    )
  })
  let onAbort: () => void = () => {}
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(query.signal?.reason)
    if (query.signal?.aborted) onAbort()
    query.signal?.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([answered, timedOut, aborted])
  } finally {
    query.signal?.removeEventListener('abort', onAbort)
    clearInterval(repeat)
    clearTimeout(timer)
    unsubscribe()
  }
}

/** "coordinator shop/eu: 4 agents (3 idle), 1 session running, 1 queued" */
export function statusLine(status: ServiceStatus): string {
  const idle = status.agents.filter((agent) => agent.state === 'idle').length
  const running = status.sessions.filter((session) => session.state === 'running').length
  const queued = status.sessions.length - running
  const agents = `${status.agents.length} agent${status.agents.length === 1 ? '' : 's'} (${idle} idle)`
  return `coordinator ${status.clusterId}/${status.agentGroup} (${status.serviceId}): ${agents}, ${running} session${running === 1 ? '' : 's'} running, ${queued} queued`
}

/** The full picture for `loadspec coordinator --status`. */
export function statusReport(status: ServiceStatus): string {
  const lines = [statusLine(status), `  service: host ${status.host}, pid ${status.pid}, up since ${new Date(status.startedAtEpochMs).toISOString()}, scenarios ${quoteList(status.scenarios) || 'none'}`]
  lines.push(status.agents.length === 0 ? '  agents: none has announced itself' : '  agents:')
  for (const agent of status.agents) {
    const fingerprints = Object.entries(agent.fingerprints).map(([name, fingerprint]) => `${name}@${fingerprint}`)
    lines.push(
      `    ${agent.agentId} (host ${agent.host}, pid ${agent.pid}) ${agent.state}${agent.sessionId === null ? '' : ` in session ${agent.sessionId}`}; ` +
        `scenarios ${quoteList(agent.scenarios)}${fingerprints.length === 0 ? '' : `; fingerprints ${fingerprints.join(', ')}`}`,
    )
  }
  const queue = status.sessions.filter((session) => session.state === 'queued')
  for (const session of status.sessions.filter((entry) => entry.state === 'running')) {
    lines.push(`  running: session ${session.sessionId} from ${session.client}: ${quoteList(session.scenarios)}, ${session.agentsCount} agents`)
  }
  lines.push(queue.length === 0 ? '  queue: empty' : '  queue:')
  queue.forEach((session, index) =>
    lines.push(`    ${index + 1}. session ${session.sessionId} from ${session.client}: ${quoteList(session.scenarios)}, ${session.agentsCount} agents, waiting since ${new Date(session.submittedAtEpochMs).toISOString()}`),
  )
  return lines.join('\n')
}
