/**
 * Discovery: the agents a coordinator has heard of. It publishes `discover`
 * (now and then again, in case an agent missed it or the broker blinked) and
 * keeps the latest `announce` of every agent process of its namespace.
 *
 * An agent id names a role a person chose (`--agent-id agent-1`); the
 * instance id in every message names the process. Two processes under one id
 * are told apart here: when each has been heard after the other first
 * appeared, both are alive (a restart looks different: the old process falls
 * silent before the new one speaks), and the listeners learn of the
 * conflict. Until then the newest process is the one that counts for the id.
 */
import { errorMessage } from '../../engine/outcome.js'
import type { AgentSummary } from '../errors.js'
import type { Fingerprints } from '../fingerprint.js'
import { WarnOnce, type ClusterLog } from '../log.js'
import type { MessageEncoder, MessageGate } from '../protocol/codec.js'
import type { AnnounceMessage, Holder } from '../protocol/messages.js'
import type { ClusterSubjects } from '../protocol/subjects.js'
import type { ClusterTransport } from '../transport/transport.js'

export interface HeardAgent extends AgentSummary {
  readonly instanceId: string
  /** The agent's own clock at its latest announce (orders announces of one process). */
  readonly announcedAtEpochMs: number
  /** When the process started (its clock): the older of two processes with one id is kept. */
  readonly startedAtEpochMs: number
  /** The session a busy agent serves or is reserved for. */
  readonly sessionId: string | null
  /** Who holds a busy agent, by its latest announce. */
  readonly holder: Holder | null
  /** performance.now() when this process was first and last heard (announces and session messages). */
  readonly firstHeardMs: number
  readonly lastHeardMs: number
  /** Scenario name → fingerprint of the agent's code (empty from an agent that sends none). */
  readonly fingerprints: Fingerprints
}

/** Two or more live processes announcing one agent id. */
export interface IdConflict {
  readonly agentId: string
  readonly instances: readonly HeardAgent[]
}

export interface DirectoryListener {
  /** The current process of an id announced itself (every announce, also repeated ones). */
  onAnnounce?(agent: HeardAgent, previous: HeardAgent | undefined): void
  onConflict?(conflict: IdConflict): void
}

/** Bound per id, so a flood of made-up instance ids cannot grow the directory without limit. */
const MAX_INSTANCES_PER_ID = 8

export class AgentDirectory {
  /** Per agent id, its processes by instance id. */
  private readonly byId = new Map<string, Map<string, HeardAgent>>()
  private readonly reportedConflicts = new Set<string>()
  private readonly listeners = new Set<DirectoryListener>()
  private readonly warnings: WarnOnce
  private unsubscribe: (() => void) | undefined
  private discoverTimer: NodeJS.Timeout | undefined
  private confirmTimer: NodeJS.Timeout | undefined
  private discoverIntervalMs = 1000

  constructor(
    private readonly transport: ClusterTransport,
    private readonly subjects: ClusterSubjects,
    private readonly encoder: MessageEncoder,
    private readonly gate: MessageGate,
    log: ClusterLog,
  ) {
    this.warnings = new WarnOnce(log)
  }

  listen(listener: DirectoryListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Listens for announces and asks every agent to announce itself, again every `discoverIntervalMs` until stopDiscovering(). */
  start(discoverIntervalMs: number): void {
    this.discoverIntervalMs = discoverIntervalMs
    this.unsubscribe = this.transport.subscribe(this.subjects.announce, (payload, subject) => {
      const announce = this.gate.open(payload, subject, ['announce'])
      if (announce !== undefined) this.record(announce)
    })
    this.discover()
    this.discoverTimer = setInterval(() => this.discover(), discoverIntervalMs)
  }

  stopDiscovering(): void {
    clearInterval(this.discoverTimer)
    this.discoverTimer = undefined
  }

  close(): void {
    this.stopDiscovering()
    clearTimeout(this.confirmTimer)
    this.unsubscribe?.()
    this.unsubscribe = undefined
    this.listeners.clear()
  }

  /** The process that counts for each agent id (the newest one heard). */
  get agents(): ReadonlyMap<string, HeardAgent> {
    const current = new Map<string, HeardAgent>()
    for (const [agentId, instances] of this.byId) {
      const newest = newestOf(instances)
      if (newest !== undefined) current.set(agentId, newest)
    }
    return current
  }

  instancesOf(agentId: string): readonly HeardAgent[] {
    return [...(this.byId.get(agentId)?.values() ?? [])]
  }

  summaries(): AgentSummary[] {
    return [...this.agents.values()].map(({ agentId, host, pid, state, scenarios, instanceId }) => ({ agentId, host, pid, state, scenarios, instanceId }))
  }

  /** A session message from this process: it is alive (and may prove a conflict). */
  noteHeard(agentId: string, instanceId: string): void {
    const agent = this.byId.get(agentId)?.get(instanceId)
    if (agent === undefined) return
    this.byId.get(agentId)?.set(instanceId, { ...agent, lastHeardMs: performance.now() })
    this.checkConflict(agentId)
  }

  /** Forgets a process (told to leave because another keeps its id). */
  forget(agentId: string, instanceId: string): void {
    this.byId.get(agentId)?.delete(instanceId)
  }

  private record(announce: AnnounceMessage): void {
    const agentId = announce.senderId
    let instances = this.byId.get(agentId)
    if (instances === undefined) {
      instances = new Map()
      this.byId.set(agentId, instances)
    }
    const nowMs = performance.now()
    const earlier = instances.get(announce.senderInstanceId)
    // Announces of one process can overtake each other; its own clock says which is newer.
    if (earlier !== undefined && earlier.announcedAtEpochMs > announce.sentAtEpochMs) return
    const previous = newestOf(instances)
    const agent: HeardAgent = {
      agentId,
      instanceId: announce.senderInstanceId,
      host: announce.host,
      pid: announce.pid,
      state: announce.state,
      scenarios: announce.scenarios,
      announcedAtEpochMs: announce.sentAtEpochMs,
      startedAtEpochMs: announce.startedAtEpochMs,
      sessionId: announce.sessionId,
      holder: announce.holder,
      firstHeardMs: earlier?.firstHeardMs ?? nowMs,
      lastHeardMs: nowMs,
      fingerprints: announce.fingerprints ?? {},
    }
    instances.set(agent.instanceId, agent)
    if (earlier === undefined && instances.size > 1) this.onNewInstance(instances)
    this.checkConflict(agentId)
    for (const listener of [...this.listeners]) listener.onAnnounce?.(agent, previous)
  }

  /**
   * A second process under a known id: a restart or a duplicate. One more
   * discover, a heartbeat interval from now, tells them apart (a dead
   * process cannot answer it) even when discovery has already stopped.
   */
  private onNewInstance(instances: Map<string, HeardAgent>): void {
    while (instances.size > MAX_INSTANCES_PER_ID) {
      const oldest = [...instances.values()].sort((a, b) => a.lastHeardMs - b.lastHeardMs)[0]
      if (oldest === undefined) break
      instances.delete(oldest.instanceId)
    }
    // Also while discovery runs: it may stop (the session moves on) before its next round.
    if (this.confirmTimer !== undefined || this.unsubscribe === undefined) return
    this.confirmTimer = setTimeout(() => {
      this.confirmTimer = undefined
      if (this.unsubscribe !== undefined) this.discover()
    }, this.discoverIntervalMs)
  }

  private checkConflict(agentId: string): void {
    const instances = [...(this.byId.get(agentId)?.values() ?? [])]
    if (instances.length < 2) return
    // Alive together: each was heard after the other first appeared.
    const live = instances.filter((agent) => instances.some((other) => other !== agent && agent.lastHeardMs > other.firstHeardMs && other.lastHeardMs > agent.firstHeardMs))
    if (live.length < 2) return
    const key = `${agentId}:${live.map((agent) => agent.instanceId).sort().join(',')}`
    if (this.reportedConflicts.has(key)) return
    this.reportedConflicts.add(key)
    for (const listener of [...this.listeners]) listener.onConflict?.({ agentId, instances: live })
  }

  private discover(): void {
    try {
      this.transport.publish(this.subjects.discover, this.encoder.encode('discover', {}))
    } catch (error) {
      this.warnings.warn('discover', `could not send "discover" on ${this.transport.description}: ${errorMessage(error)}`)
    }
  }
}

/** The processes of a conflict, oldest first: every coordinator keeps the same one, the first. */
export function oldestFirst(instances: readonly HeardAgent[]): HeardAgent[] {
  return [...instances].sort((a, b) => a.startedAtEpochMs - b.startedAtEpochMs || (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0))
}

function newestOf(instances: ReadonlyMap<string, HeardAgent>): HeardAgent | undefined {
  let newest: HeardAgent | undefined
  for (const agent of instances.values()) if (newest === undefined || agent.firstHeardMs > newest.firstHeardMs) newest = agent
  return newest
}
