/**
 * Typed cluster errors: each carries a code to branch on and the agents it
 * is about, so a caller (the Vitest global setup, a CLI) can act on it
 * without parsing the message.
 */
import type { RunResult } from '../result/result.js'

export type ClusterErrorCode =
  /** The NATS connection could not be opened (unreachable, refused, bad credentials, TLS). */
  | 'connect-failed'
  /** Fewer than AgentsCount agents answered within ClusterCommandTimeoutMs. */
  | 'agents-missing'
  /** An agent refused its assignment (e.g. a scenario it has not registered). */
  | 'agent-refused'
  /** An agent's init or run failed before load started. */
  | 'agent-failed'
  /** Agents accepted but did not become ready (inits) within ClusterCommandTimeoutMs. */
  | 'agents-not-ready'
  /** An agent stopped answering before load started (after that a lost agent only makes the result incomplete). */
  | 'agent-lost'
  /** The run was stopped before load started. */
  | 'stopped'
  /** The targeting lists cannot be satisfied (a scenario would run nowhere, or names an unknown scenario). */
  | 'placement'
  /**
   * The coordinator lost its NATS connection and it did not come back within
   * ClusterCommandTimeoutMs. After the start, the error's `result` holds what
   * was measured until then.
   */
  | 'broker-unreachable'
  /**
   * An agent process left the cluster because another process announces the
   * same agent id and was kept (the older one, or the one serving a session).
   */
  | 'duplicate-agent-id'
  /**
   * A coordinator service left (or never began serving) because another
   * service serves the same ClusterId / AgentGroup and was kept (the one
   * already serving, or the one that began first).
   */
  | 'duplicate-service'
  /** NodeType Client: no coordinator service answered in the namespace within AgentLostTimeoutMs. */
  | 'service-unreachable'
  /** NodeType Client: the coordinator service fell silent for AgentLostTimeoutMs mid-session. */
  | 'coordinator-lost'
  /** NodeType Client: the service refused the session at once (unknown scenario, impossible targeting, too few agents). */
  | 'session-refused'
  /** NodeType Client: the session failed on the service for a reason of its own. */
  | 'session-failed'
  /** An agent's code for a scenario differs from the code the session was submitted with. */
  | 'code-mismatch'

/** What a coordinator knows about an agent, for messages and for the global setup. */
export interface AgentSummary {
  readonly agentId: string
  readonly host: string
  readonly pid: number
  readonly state: 'idle' | 'busy'
  /** Scenarios the agent registered (it can run only these). */
  readonly scenarios: readonly string[]
  /** The agent process's own random id (two processes given one agent id differ here). */
  readonly instanceId?: string
}

export class ClusterError extends Error {
  override readonly name = 'ClusterError'
  /**
   * What was measured before the run failed, when load had started
   * (broker-unreachable): marked incomplete, the intervals each agent sent.
   * Undefined for failures before the start (nothing was measured).
   */
  readonly result: RunResult | undefined

  constructor(
    readonly code: ClusterErrorCode,
    message: string,
    /** The agents the error is about (for agents-missing: every agent that did answer). */
    readonly agents: readonly AgentSummary[] = [],
    options?: { cause?: unknown; result?: RunResult },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.result = options?.result
  }
}

export function describeAgent(agent: Pick<AgentSummary, 'agentId' | 'host' | 'pid'>): string {
  return `${agent.agentId} (host ${agent.host}, pid ${agent.pid})`
}

export function quoteList(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.map((name) => `"${name}"`).join(', ')
}
