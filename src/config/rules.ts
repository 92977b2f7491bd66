/**
 * Rules that involve more than one key. They run even when some keys failed
 * their own checks (so every problem is reported in one round), which is why
 * each rule looks only at values that passed: a key that failed is reported
 * once, by its own check, and never drags a rule into a second, misleading
 * complaint.
 */
import type { ConfigKey } from './keys.js'
import { MAX_TIMER_MS, NODE_TYPES, type NodeType } from './constants.js'

export interface RuleViolation {
  /** The key the user should change. */
  readonly key: ConfigKey
  /** Completes "<Key> must be …". */
  readonly expected: string
  readonly hint?: string
  /** Other keys whose values decided the rule; their sources are shown too. */
  readonly related: readonly ConfigKey[]
}

/** Values after their own checks; any of them may still be invalid input. */
export type RuleCandidate = Readonly<Partial<Record<ConfigKey, unknown>>>

export function crossFieldViolations(candidate: RuleCandidate): RuleViolation[] {
  const nodeType = NODE_TYPES.find((type) => type === candidate.nodeType)
  const localDevCluster = typeof candidate.enableLocalDevCluster === 'boolean' ? candidate.enableLocalDevCluster : undefined
  return [
    ...natsUrlRequired(nodeType, localDevCluster, candidate.natsServerUrl !== undefined),
    ...agentsNeeded(nodeType, localDevCluster, candidate.agentsCount),
    ...localDevClusterNotForAgents(nodeType, localDevCluster),
    ...targetsDisjoint(candidate.agentTargetScenarios, candidate.coordinatorTargetScenarios),
    ...agentLostAfterHeartbeat(candidate.heartbeatIntervalMs, candidate.agentLostTimeoutMs),
    ...tlsCertWithKey(candidate.natsTlsCertFile, candidate.natsTlsKeyFile),
  ]
}

function natsUrlRequired(nodeType: NodeType | undefined, localDevCluster: boolean | undefined, hasUrl: boolean): RuleViolation[] {
  if (hasUrl) return []
  if (nodeType === 'Agent' || nodeType === 'Client') {
    return [{
      key: 'natsServerUrl',
      expected: `set when NodeType is "${nodeType}"`,
      hint: `${nodeType === 'Agent' ? 'agents reach the coordinator' : 'clients reach the coordinator service'} through NATS: set it to the same server, e.g. nats://localhost:4222`,
      related: ['nodeType'],
    }]
  }
  if (nodeType === 'Coordinator' && localDevCluster === false) {
    return [{
      key: 'natsServerUrl',
      expected: 'set when NodeType is "Coordinator" and EnableLocalDevCluster is false',
      hint: 'set it to your NATS server (e.g. nats://localhost:4222), or set EnableLocalDevCluster=true to run the agents in-process',
      related: ['nodeType', 'enableLocalDevCluster'],
    }]
  }
  return []
}

function agentsNeeded(nodeType: NodeType | undefined, localDevCluster: boolean | undefined, agentsCount: unknown): RuleViolation[] {
  if (agentsCount !== 0) return []
  if (nodeType === 'Coordinator' || nodeType === 'Client') {
    return [{ key: 'agentsCount', expected: `at least 1 when NodeType is "${nodeType}"`, hint: `it is how many agents the ${nodeType === 'Client' ? "client's session needs" : 'coordinator waits for'}`, related: ['nodeType'] }]
  }
  if (localDevCluster === true) {
    return [{ key: 'agentsCount', expected: 'at least 1 when EnableLocalDevCluster is true', hint: 'it is how many in-process agents the local dev cluster starts', related: ['enableLocalDevCluster'] }]
  }
  return []
}

function localDevClusterNotForAgents(nodeType: NodeType | undefined, localDevCluster: boolean | undefined): RuleViolation[] {
  if ((nodeType !== 'Agent' && nodeType !== 'Client') || localDevCluster !== true) return []
  return [{
    key: 'enableLocalDevCluster',
    expected: `false when NodeType is "${nodeType}"`,
    hint: 'the local dev cluster starts its own agents in-process: use it with NodeType Single or Coordinator, or turn it off to join a cluster over NATS',
    related: ['nodeType'],
  }]
}

function targetsDisjoint(agentTargets: unknown, coordinatorTargets: unknown): RuleViolation[] {
  if (!isStringArray(agentTargets) || !isStringArray(coordinatorTargets)) return []
  const both = agentTargets.filter((name) => coordinatorTargets.includes(name))
  if (both.length === 0) return []
  return [{
    key: 'agentTargetScenarios',
    expected: 'disjoint from CoordinatorTargetScenarios',
    hint: `${both.map((name) => `"${name}"`).join(', ')} ${both.length === 1 ? 'is' : 'are'} in both lists; a scenario runs on the agents or on the coordinator, not both: remove it from one list`,
    related: ['coordinatorTargetScenarios'],
  }]
}

function agentLostAfterHeartbeat(heartbeatIntervalMs: unknown, agentLostTimeoutMs: unknown): RuleViolation[] {
  if (!isTimerMs(heartbeatIntervalMs) || !isTimerMs(agentLostTimeoutMs)) return []
  if (agentLostTimeoutMs > heartbeatIntervalMs) return []
  return [{
    key: 'agentLostTimeoutMs',
    expected: `greater than HeartbeatIntervalMs (${heartbeatIntervalMs})`,
    hint: 'otherwise a healthy agent is declared lost between two heartbeats',
    related: ['heartbeatIntervalMs'],
  }]
}

function tlsCertWithKey(certFile: unknown, keyFile: unknown): RuleViolation[] {
  if ((certFile === undefined) === (keyFile === undefined)) return []
  return certFile === undefined
    ? [{ key: 'natsTlsCertFile', expected: 'set together with NatsTlsKeyFile', hint: 'TLS client authentication needs both the certificate and its key', related: ['natsTlsKeyFile'] }]
    : [{ key: 'natsTlsKeyFile', expected: 'set together with NatsTlsCertFile', hint: 'TLS client authentication needs both the certificate and its key', related: ['natsTlsCertFile'] }]
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string')
}

/** Same bounds as the keys' own check, so a value that failed it is left to that check. */
function isTimerMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_TIMER_MS
}
