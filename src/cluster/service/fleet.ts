/**
 * Which agents of the fleet a queued session could have now. Agents held by
 * one of the service's running sessions are theirs; a running session that
 * does not yet show all its agents as held (announces lag a reservation by
 * up to a discover round) is assumed to hold as many more idle ones, so the
 * head of the queue never starts on agents about to be taken. Pure: the
 * service's queue calls it on every change.
 */
import type { HeardAgent } from '../coordinator/agent-directory.js'

export interface RunningClaim {
  /** The coordinator id its session runs under (agents name it as their holder). */
  readonly coordinatorId: string
  readonly needed: number
}

export interface Availability {
  /** Idle agents no running session of the service holds. */
  readonly idle: readonly HeardAgent[]
  /** Agents running sessions still need beyond those seen held. */
  readonly pending: number
}

export function availability(fleet: readonly HeardAgent[], running: readonly RunningClaim[]): Availability {
  const ours = new Set(running.map((claim) => claim.coordinatorId))
  const heldBy = new Map<string, number>()
  for (const agent of fleet) {
    const holder = agent.holder?.coordinatorId
    if (holder !== undefined && ours.has(holder)) heldBy.set(holder, (heldBy.get(holder) ?? 0) + 1)
  }
  const idle = fleet.filter((agent) => agent.state === 'idle' && !(agent.holder !== null && ours.has(agent.holder.coordinatorId)))
  const pending = running.reduce((sum, claim) => sum + Math.max(0, claim.needed - (heldBy.get(claim.coordinatorId) ?? 0)), 0)
  return { idle, pending }
}

/** How many agents that could serve a session are free for it. */
export function freeFor(available: Availability, canServe: (agent: HeardAgent) => boolean): number {
  return available.idle.filter(canServe).length - available.pending
}
