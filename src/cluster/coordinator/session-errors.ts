/** The wording of the errors a coordinator session fails with before load starts: what happened, who, and what to do. */
import type { LoadspecConfig } from '../../config/index.js'
import { ClusterError, describeAgent, quoteList, type AgentSummary } from '../errors.js'
import type { AgentSlot } from './agent-slot.js'
import type { AgentDirectory, HeardAgent } from './agent-directory.js'
import { describeHolder, type Reservation } from './reservation.js'
import type { SessionPlan } from './plan.js'
import type { BrokerLimit } from './session-watch.js'

export interface AgentsMissingFacts {
  readonly coordinatorId: string
  readonly config: Pick<LoadspecConfig, 'agentsCount' | 'clusterCommandTimeoutMs' | 'clusterId' | 'agentGroup'>
  readonly transportDescription: string
  /** Every agent of the namespace that answered. */
  readonly directory: AgentDirectory
  /** What became of them in this session ("idle", "assigned, ready", "busy: serving session …", …). */
  readonly slots: readonly AgentSlot[]
  readonly reservation: Reservation
}

export function agentsMissingError(facts: AgentsMissingFacts): ClusterError {
  const { config, directory } = facts
  const heard = directory.summaries()
  const current = directory.agents
  const noteOf = (agent: AgentSummary): string => {
    const known = current.get(agent.agentId)
    return known === undefined ? 'idle' : noteOnAgent(known, facts.slots, facts.reservation)
  }
  const notes = heard.map((agent) => ({ agent, note: noteOf(agent) }))
  const answered = heard.length === 0 ? 'no agent answered' : `${heard.length} answered: ${notes.map(({ agent, note }) => `${describeAgent(agent)} [${note}]`).join('; ')}`
  // Agents that could have taken part (idle, or assigned to this session); busy ones count as missing.
  const usable = Math.min(config.agentsCount, notes.filter(({ note }) => note === 'idle' || note.startsWith('assigned')).length)
  const missing = config.agentsCount - usable
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

export interface BrokerOutageFacts {
  readonly coordinatorId: string
  readonly transportDescription: string
  readonly outageMs: number
  readonly clusterCommandTimeoutMs: number
  /** Set when the outage came after the start and outlasted AgentLostTimeoutMs (shorter than ClusterCommandTimeoutMs). */
  readonly agentLostTimeoutMs?: number
  /** Seconds from the common start to now ("12.3"), undefined when no load had started. */
  readonly secondsSinceStart: string | undefined
  /** The agents the session was waiting for. */
  readonly waiting: readonly AgentSummary[]
}

/**
 * The coordinator's connection stayed down (or hung: no answer to its pings)
 * past ClusterCommandTimeoutMs, or, once load runs, past AgentLostTimeoutMs:
 * by then every agent has stopped its load, hearing nothing from it.
 */
export function brokerUnreachableError(facts: BrokerOutageFacts): ClusterError {
  const { outageMs, clusterCommandTimeoutMs: timeoutMs, agentLostTimeoutMs: lostMs } = facts
  const limit =
    lostMs !== undefined
      ? `, longer than AgentLostTimeoutMs (${lostMs} ms): every agent has stopped its load by now, hearing nothing from this coordinator. `
      : outageMs > timeoutMs
        ? `, longer than ClusterCommandTimeoutMs (${timeoutMs} ms). `
        : `, and ClusterCommandTimeoutMs (${timeoutMs} ms) ran out meanwhile. `
  const message =
    `The NATS broker is down or unreachable: coordinator ${facts.coordinatorId} has been disconnected from ${facts.transportDescription} ` +
    `for ${(outageMs / 1000).toFixed(1)} s` +
    limit +
    (facts.secondsSinceStart !== undefined
      ? `The run was abandoned ${facts.secondsSinceStart} s after load started; the error's result holds what was measured ` +
        "until then (the coordinator's own scenarios and the intervals each agent sent), marked incomplete. " +
        'Agents stop their load by themselves once they have heard nothing for AgentLostTimeoutMs. '
      : 'No load had started. ') +
    'Check that nats-server is running and reachable from every node.'
  return new ClusterError('broker-unreachable', message, facts.waiting)
}

/**
 * The session gives up on the broker: the error, and every started agent
 * marked unreachable (not lost by its own doing) so the result says why its
 * figures stop where they do.
 */
export function brokerLoss(
  facts: { readonly coordinatorId: string; readonly transportDescription: string; readonly outageMs: number; readonly plan: SessionPlan; readonly limit: BrokerLimit },
  slots: readonly AgentSlot[],
  secondsSinceStart: string | undefined,
  outageBeganSecondsSinceStart: string,
): ClusterError {
  const error = brokerUnreachableError({
    coordinatorId: facts.coordinatorId,
    transportDescription: facts.transportDescription,
    outageMs: facts.outageMs,
    clusterCommandTimeoutMs: facts.plan.clusterCommandTimeoutMs,
    ...(facts.limit === 'AgentLostTimeoutMs' ? { agentLostTimeoutMs: facts.plan.agentLostTimeoutMs } : {}),
    secondsSinceStart,
    waiting: slots.filter((slot) => slot.isActive).map((slot) => slot.agent as AgentSummary),
  })
  for (const slot of slots) {
    if (slot.state !== 'started') continue
    slot.state = 'lost'
    slot.lostReason = `could not be reached: the NATS broker was down or unreachable from the coordinator ${outageBeganSecondsSinceStart} s after load started`
  }
  return error
}

/** An agent refused its assignment or failed its init: the run fails before any load. */
export function agentErrorBeforeStart(agent: AgentSummary, code: string, text: string): ClusterError {
  const refused = code === 'unknown-scenario' || code === 'invalid-assignment'
  return new ClusterError(
    refused ? 'agent-refused' : 'agent-failed',
    refused ? `Agent ${describeAgent(agent)} refused its assignment: ${text}` : `Agent ${describeAgent(agent)} failed before load started (${code}): ${text}`,
    [agent],
  )
}

type ProcessFacts = Pick<AgentSummary, 'host' | 'pid'>

/** Two live processes announced one agent id: which one keeps it, and that the others are (or will be, by a session) told to leave. */
export function idConflictNote(agentId: string, keeper: ProcessFacts, others: readonly ProcessFacts[], told: 'told' | 'to be told'): string {
  const describe = (agent: ProcessFacts): string => `host ${agent.host}, pid ${agent.pid}`
  const verb = told === 'told' ? (others.length === 1 ? 'was told' : 'were told') : 'will be told by the next session'
  return (
    `${others.length + 1} agent processes announce the agent id ${agentId} (${describe(keeper)}; ${others.map(describe).join('; ')}): ` +
    `the oldest (${describe(keeper)}) keeps it and the other${others.length === 1 ? '' : 's'} ${verb} to leave the cluster ` +
    '(after the session they serve, if any; only the process a session assigned runs its load). Give every agent process its own --agent-id'
  )
}

/** The coordinator's own connection came back: what happened, for the log and (after the start) the result. */
export function outageNote(coordinatorId: string, transportDescription: string, outageMs: number, secondsSinceStart: string | undefined): string {
  const when = secondsSinceStart === undefined ? 'before load started' : `${secondsSinceStart} s after load started`
  return (
    `coordinator ${coordinatorId} was disconnected from ${transportDescription} for ${(outageMs / 1000).toFixed(1)} s (${when}); ` +
    'it reconnected and the session went on (what was sent meanwhile is re-sent: heartbeats, interim and final stats)'
  )
}

/** What became of an agent in this session, for the agents-missing error. */
export function noteOnAgent(agent: HeardAgent, slots: readonly AgentSlot[], reservation: Reservation): string {
  const slot = slots.find((candidate) => candidate.agent?.agentId === agent.agentId)
  if (slot !== undefined) return `assigned, ${slot.state}`
  const note = reservation.noteOf(agent)
  if (note !== undefined) return note
  if (agent.state === 'idle') return 'idle'
  return agent.holder === null ? 'busy' : describeHolder(agent.holder)
}
