/**
 * The coordinator-service protocol, version 1: how clients (NodeType
 * Client, `loadspec coordinator --status`) talk to a coordinator service.
 * It sits beside the cluster protocol (messages.ts), which the service
 * speaks with agents unchanged; a service message carries its own protocol
 * name, so neither side mistakes one for the other.
 *
 *   client → service   submit            on loadspec.<c>.<g>.service.submit
 *                      status-request    on loadspec.<c>.<g>.service.status
 *   service ↔ service  presence          on loadspec.<c>.<g>.service.presence (a service says it
 *                                        is there, so a second one on the namespace leaves)
 *                      client-heartbeat, withdraw, result-ack
 *                                        on loadspec.<c>.<g>.service.session.<clientId>.<sessionId>
 *   service → client   session-state (queued with its place, running; also its heartbeat),
 *                      progress, refused, failed, result (in parts, re-sent until result-ack)
 *                                        on loadspec.<c>.<g>.client.<clientId>.<sessionId>
 *                      status            on loadspec.<c>.<g>.client.<clientId>.<replyId>
 *
 * Every client subject carries the client's id as a token, so a NATS
 * permission can let one client publish and subscribe under its own id only
 * (see docs/coordinator-service.md).
 */
import { z } from 'zod'
import { wireScenarioSettingsSchema } from '../protocol/messages.js'
import { serializedScenarioStatsSchema } from '../../stats/schema.js'
import { subjectToken, type ClusterSubjects } from '../protocol/subjects.js'

export const SERVICE_PROTOCOL_NAME = 'loadspec-service'
export const SERVICE_PROTOCOL_VERSION = 1

/** Why the service refuses a session at once (bad input), or fails it later. */
export const SERVICE_FAILURE_CODES = [
  'unknown-scenario',
  'placement',
  'too-few-agents',
  'code-mismatch',
  'invalid-session',
  'shutting-down',
  'client-lost',
  'session-failed',
] as const
export type ServiceFailureCode = (typeof SERVICE_FAILURE_CODES)[number]

const id = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/)
const name = z.string().min(1).max(1000)
const names = z.array(name).max(10_000)
const text = z.string().max(20_000)

const envelope = {
  protocol: z.literal(SERVICE_PROTOCOL_NAME),
  version: z.literal(SERVICE_PROTOCOL_VERSION),
  clusterId: z.string(),
  agentGroup: z.string(),
  senderId: z.string().min(1).max(256),
  sentAtEpochMs: z.number().finite(),
}
type Envelope = { [K in keyof typeof envelope]: z.infer<(typeof envelope)[K]> }

const session = { clientId: id, sessionId: id }

const agentStatusSchema = z.object({
  agentId: z.string().max(256),
  host: z.string().max(1000),
  pid: z.number().int(),
  state: z.enum(['idle', 'busy']),
  /** The service session it serves, when it serves one of this service's. */
  sessionId: z.string().max(256).nullable(),
  scenarios: names,
  /** Scenario name → code fingerprint, as the agent announced them. */
  fingerprints: z.record(z.string().max(1000), z.string().max(200)),
})

const sessionStatusSchema = z.object({
  sessionId: z.string().max(256),
  client: z.string().max(2000),
  scenarios: names,
  agentsCount: z.number().int().nonnegative(),
  /** When the service received it, in the service's clock. */
  submittedAtEpochMs: z.number().finite(),
  state: z.enum(['queued', 'running']),
})

export const SERVICE_SCHEMAS = {
  submit: z.object({
    ...envelope,
    kind: z.literal('submit'),
    ...session,
    host: z.string().max(1000),
    pid: z.number().int(),
    scenarios: z.array(z.object({ name, settings: wireScenarioSettingsSchema })).min(1).max(10_000),
    agentsCount: z.number().int().positive(),
    targetScenarios: names,
    agentTargetScenarios: names,
    coordinatorTargetScenarios: names,
    clusterCommandTimeoutMs: z.number().int().positive(),
    reportingIntervalMs: z.number().int().positive().nullable(),
    /** Scenario name → fingerprint of the client's code (cluster/fingerprint.ts). */
    fingerprints: z.record(name, z.string().max(200)),
    allowCodeMismatch: z.boolean(),
  }),
  'client-heartbeat': z.object({ ...envelope, kind: z.literal('client-heartbeat'), ...session }),
  withdraw: z.object({ ...envelope, kind: z.literal('withdraw'), ...session, reason: text }),
  'result-ack': z.object({ ...envelope, kind: z.literal('result-ack'), ...session }),
  'status-request': z.object({ ...envelope, kind: z.literal('status-request'), clientId: id, replyId: id }),
  /** Published when a service starts, every heartbeat while it serves, and in answer to a newcomer's. */
  presence: z.object({
    ...envelope,
    kind: z.literal('presence'),
    serviceId: z.string().max(256),
    host: z.string().max(1000),
    pid: z.number().int(),
    /** When the service process began (its clock): of two, the one that began later leaves. */
    startedAtEpochMs: z.number().finite(),
    /** false while it is still checking that no other service serves the namespace. */
    serving: z.boolean(),
  }),
  'session-state': z.object({
    ...envelope,
    kind: z.literal('session-state'),
    ...session,
    state: z.enum(['queued', 'running']),
    /** 1 = next to start; 0 while running. */
    position: z.number().int().nonnegative(),
    /** Why it waits, in words ("agents busy: 2 of 2 serve other sessions"). */
    waitingFor: text,
    agents: names,
  }),
  progress: z.object({ ...envelope, kind: z.literal('progress'), ...session, elapsedMs: z.number().finite().nonnegative(), stats: z.array(serializedScenarioStatsSchema).max(10_000) }),
  refused: z.object({ ...envelope, kind: z.literal('refused'), ...session, code: z.enum(SERVICE_FAILURE_CODES), message: text }),
  failed: z.object({ ...envelope, kind: z.literal('failed'), ...session, code: z.enum(SERVICE_FAILURE_CODES), clusterCode: z.string().max(100).nullable(), message: text }),
  result: z
    .object({ ...envelope, kind: z.literal('result'), ...session, part: z.number().int().nonnegative(), parts: z.number().int().positive().max(100_000), data: z.string() })
    .refine((message) => message.part < message.parts, { message: 'part must be below parts' }),
  status: z.object({
    ...envelope,
    kind: z.literal('status'),
    replyId: id,
    serviceId: z.string().max(256),
    host: z.string().max(1000),
    pid: z.number().int(),
    startedAtEpochMs: z.number().finite(),
    scenarios: names,
    agents: z.array(agentStatusSchema).max(10_000),
    sessions: z.array(sessionStatusSchema).max(10_000),
  }),
} as const

export type ServiceKind = keyof typeof SERVICE_SCHEMAS
export type ServiceMessageOf<K extends ServiceKind> = z.infer<(typeof SERVICE_SCHEMAS)[K]>
export type ServiceBody<K extends ServiceKind> = Omit<ServiceMessageOf<K>, keyof Envelope | 'kind'>
export type ServiceStatus = ServiceMessageOf<'status'>
/** What a service says about itself, without the message around it (what `status()` returns in its own process). */
export type ServiceStatusBody = Omit<ServiceBody<'status'>, 'replyId'>
export type AgentStatus = z.infer<typeof agentStatusSchema>

export interface ServiceSubjects {
  readonly submit: string
  readonly status: string
  /** Service ↔ service: who serves the namespace. */
  readonly presence: string
  /** Client → service, for one session. */
  session(clientId: string, sessionId: string): string
  /** Service → client, for one session or one status reply. */
  client(clientId: string, sessionOrReplyId: string): string
  /** Everything the service hears from clients' sessions. */
  readonly allSessions: string
}

export function serviceSubjects(cluster: ClusterSubjects): ServiceSubjects {
  const root = `${cluster.namespace}.service`
  return {
    submit: `${root}.submit`,
    status: `${root}.status`,
    presence: `${root}.presence`,
    session: (clientId, sessionId) => `${root}.session.${subjectToken(clientId)}.${subjectToken(sessionId)}`,
    client: (clientId, id) => `${cluster.namespace}.client.${subjectToken(clientId)}.${subjectToken(id)}`,
    allSessions: `${root}.session.*.*`,
  }
}
