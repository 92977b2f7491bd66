/**
 * What a node waiting for agents says while it waits: one line soon after
 * it starts waiting ("waiting up to 120 s for 2 agents (1 answered: …)"),
 * and one more every time the set of agents that answered changes, so a
 * run with too few agents is not silent until ClusterCommandTimeoutMs.
 */
import type { AgentDirectory } from './coordinator/agent-directory.js'
import { describeAgent } from './errors.js'
import type { ClusterLog } from './log.js'

export interface AgentWaitReportOptions {
  readonly directory: AgentDirectory
  readonly needed: number
  readonly timeoutMs: number
  readonly log: ClusterLog
  /** No line at all when the agents answer this quickly (default 250 ms). */
  readonly graceMs?: number
}

export class AgentWaitReport {
  private lastLine: string | undefined
  private readonly timer: NodeJS.Timeout
  private readonly stopListening: () => void
  private speaking = false
  private stopped = false

  constructor(private readonly options: AgentWaitReportOptions) {
    this.stopListening = options.directory.listen({ onAnnounce: () => this.speaking && this.report() })
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
    this.stopListening()
  }

  private report(): void {
    if (this.stopped) return
    const { directory, needed, timeoutMs, log } = this.options
    const agents = [...directory.agents.values()]
    if (agents.length >= needed) return this.stop()
    const answered = agents.length === 0 ? 'none answered yet' : `${agents.length} answered: ${agents.map((agent) => `${describeAgent(agent)} [${agent.state}]`).join('; ')}`
    const line = `waiting up to ${Math.round(timeoutMs / 1000)} s for ${needed} agent${needed === 1 ? '' : 's'} (${answered})`
    if (line === this.lastLine) return
    this.lastLine = line
    log.info(line)
  }
}
