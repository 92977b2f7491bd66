/**
 * What a node waiting for agents says while it waits: one line soon after
 * it starts waiting ("waiting up to 120 s for 2 agents (1 answered: …)"),
 * and one more every time the set of agents that answered changes, so a
 * run with too few agents is not silent until ClusterCommandTimeoutMs.
 *
 * It only listens to the announces that the waiting node's own discovery
 * brings: it sends nothing, and logs nothing about bad messages (the node's
 * own gate does that once).
 */
import { describeAgent, type AgentSummary } from './errors.js'
import { silentClusterLog, type ClusterLog } from './log.js'
import { MessageGate, type Namespace } from './protocol/codec.js'
import { clusterSubjects } from './protocol/subjects.js'
import type { ClusterTransport } from './transport/transport.js'

export interface AgentWaitReportOptions {
  readonly transport: ClusterTransport
  readonly namespace: Namespace
  readonly needed: number
  readonly timeoutMs: number
  readonly log: ClusterLog
  /** No line at all when the agents answer this quickly (default 250 ms). */
  readonly graceMs?: number
}

export class AgentWaitReport {
  private readonly agents = new Map<string, AgentSummary>()
  private lastLine: string | undefined
  private readonly timer: NodeJS.Timeout
  private readonly unsubscribe: () => void
  private speaking = false
  private stopped = false

  constructor(private readonly options: AgentWaitReportOptions) {
    const { transport, namespace } = options
    const gate = new MessageGate(namespace, silentClusterLog, 'agent wait report')
    this.unsubscribe = transport.subscribe(clusterSubjects(namespace.clusterId, namespace.agentGroup).announce, (payload, subject) => {
      const announce = gate.open(payload, subject, ['announce'])
      if (announce === undefined) return
      const { senderId: agentId, host, pid, state, scenarios } = announce
      this.agents.set(agentId, { agentId, host, pid, state, scenarios })
      if (this.speaking) this.report()
    })
    this.timer = setTimeout(() => {
      this.speaking = true
      this.report()
    }, options.graceMs ?? 250)
  }

  /** Every agent is there (or the wait ended another way): no more lines. */
  stop(): void {
    if (this.stopped) return
    this.stopped = true
    clearTimeout(this.timer)
    this.unsubscribe()
  }

  private report(): void {
    if (this.stopped) return
    const { needed, timeoutMs, log } = this.options
    const agents = [...this.agents.values()]
    if (agents.length >= needed) return this.stop()
    const answered = agents.length === 0 ? 'none answered yet' : `${agents.length} answered: ${agents.map((agent) => `${describeAgent(agent)} [${agent.state}]`).join('; ')}`
    const line = `waiting up to ${Math.round(timeoutMs / 1000)} s for ${needed} agent${needed === 1 ? '' : 's'} (${answered})`
    if (line === this.lastLine) return
    this.lastLine = line
    log.info(line)
  }
}
