/**
 * The cluster protocol, version 1: every message is one JSON object with an
 * envelope (protocol, version, cluster namespace, sender, send time) and a
 * `kind`. Each kind has a zod schema that a receiver checks before acting
 * (see codec.ts); these schemas are the protocol's reference.
 *
 * Session flow (→ coordinator to agent, ← agent to coordinator):
 *   → discover (broadcast)         ← announce (also sent unprompted when an agent starts or becomes idle)
 *   → assign (re-sent until answered) ← accepted | error
 *                                   ← ready            (every init done; the agent waits for start)
 *   → start { startAtEpochMs }       (one moment for every node, in each agent's own clock)
 *                                   ← interim          (cumulative stats, about once a second)
 *   → stop (graceful) | cancel (abandon the session)
 *                                   ← final            (re-sent until acknowledged)
 *   → final-ack
 * Both sides send `heartbeat` every HeartbeatIntervalMs from assign to final-ack;
 * a side that hears nothing from the other for AgentLostTimeoutMs gives up on it.
 */
import { z } from 'zod'
import { loadSimulationListSchema } from '../../simulations/schema.js'
import { serializedScenarioStatsSchema } from '../../stats/schema.js'

export const PROTOCOL_NAME = 'loadspec-cluster'
export const PROTOCOL_VERSION = 1

/** What an agent is doing in a session, as its heartbeats report it. */
export const AGENT_PHASES = ['initializing', 'ready', 'running', 'reporting'] as const
export type AgentPhase = (typeof AGENT_PHASES)[number]

/** What the coordinator is doing in a session, as its heartbeats report it. */
export const COORDINATOR_PHASES = ['assigning', 'initializing', 'running', 'collecting'] as const
export type CoordinatorPhase = (typeof COORDINATOR_PHASES)[number]

/** Why an agent refuses or abandons a session. */
export const AGENT_ERROR_CODES = ['busy', 'unknown-scenario', 'invalid-assignment', 'init-failed', 'run-failed', 'shutting-down'] as const
export type AgentErrorCode = (typeof AGENT_ERROR_CODES)[number]

// Bounds keep a hostile message from making a node allocate without limit.
const id = z.string().min(1).max(256)
const name = z.string().min(1).max(1000)
const text = z.string().max(20_000)
const ms = z.number().finite().nonnegative()
const positiveMs = z.number().finite().positive()
const epochMs = z.number().finite()

const envelope = {
  protocol: z.literal(PROTOCOL_NAME),
  version: z.literal(PROTOCOL_VERSION),
  clusterId: z.string(),
  agentGroup: z.string(),
  /** agentId or coordinatorId of the sender. */
  senderId: id,
  /** The sender's Date.now() (the coordinator estimates clock offsets from it). */
  sentAtEpochMs: epochMs,
}
export type Envelope = { [K in keyof typeof envelope]: z.infer<(typeof envelope)[K]> }

export const partitionSchema = z
  .object({ number: z.number().int().nonnegative(), count: z.number().int().positive() })
  .refine((partition) => partition.number < partition.count, { message: 'partition number must be below its count' })

/**
 * A scenario's load shape as the coordinator sends it (ScenarioSettings).
 * An empty simulation list means the coordinator's scenario is empty
 * (init and clean only).
 */
export const wireScenarioSettingsSchema = z.object({
  loadSimulations: z.union([z.tuple([]), loadSimulationListSchema]),
  warmUpMs: ms,
  iterationTimeoutMs: positiveMs,
  gracefulStopMs: ms,
  maxConcurrency: z.number().int().positive(),
  weight: z.number().finite().positive(),
})

const session = { sessionId: id }

export const discoverMessageSchema = z.object({ ...envelope, kind: z.literal('discover') })

export const announceMessageSchema = z.object({
  ...envelope,
  kind: z.literal('announce'),
  host: z.string().max(1000),
  pid: z.number().int(),
  /** Names of the scenarios this agent registered. */
  scenarios: z.array(name).max(10_000),
  state: z.enum(['idle', 'busy']),
  /** The session a busy agent serves. */
  sessionId: id.nullable(),
})

export const assignMessageSchema = z.object({
  ...envelope,
  kind: z.literal('assign'),
  ...session,
  agentId: id,
  partition: partitionSchema,
  scenarios: z.array(z.object({ name, settings: wireScenarioSettingsSchema })).max(10_000),
  /** One series interval for every node, so the merged time series lines up. */
  seriesIntervalMs: positiveMs,
  interimIntervalMs: positiveMs,
  heartbeatIntervalMs: positiveMs,
  /** The agent stops its load and leaves the session after this long without a word from the coordinator. */
  coordinatorLostTimeoutMs: positiveMs,
  /** The agent gives up re-sending final stats after this long without an acknowledgement. */
  finalAckTimeoutMs: positiveMs,
})

export const startMessageSchema = z.object({
  ...envelope,
  kind: z.literal('start'),
  ...session,
  /** When load starts, in the receiving agent's clock (the coordinator corrects for clock offset). */
  startAtEpochMs: epochMs,
})

export const stopMessageSchema = z.object({ ...envelope, kind: z.literal('stop'), ...session, reason: text })
export const cancelMessageSchema = z.object({ ...envelope, kind: z.literal('cancel'), ...session, reason: text })
export const finalAckMessageSchema = z.object({ ...envelope, kind: z.literal('final-ack'), ...session })

export const heartbeatMessageSchema = z.object({
  ...envelope,
  kind: z.literal('heartbeat'),
  ...session,
  phase: z.enum([...AGENT_PHASES, ...COORDINATOR_PHASES]),
})

export const acceptedMessageSchema = z.object({ ...envelope, kind: z.literal('accepted'), ...session })
export const readyMessageSchema = z.object({ ...envelope, kind: z.literal('ready'), ...session, initMs: ms })

export const interimMessageSchema = z.object({
  ...envelope,
  kind: z.literal('interim'),
  ...session,
  elapsedMs: ms,
  /** Cumulative stats since load started. */
  stats: z.array(serializedScenarioStatsSchema).max(10_000),
})

export const finalMessageSchema = z
  .object({
    ...envelope,
    kind: z.literal('final'),
    ...session,
    part: z.number().int().nonnegative(),
    parts: z.number().int().positive().max(100_000),
    /** A slice of the node report's JSON text (see final-report.ts). */
    data: z.string(),
  })
  .refine((message) => message.part < message.parts, { message: 'part must be below parts' })

export const errorMessageSchema = z.object({
  ...envelope,
  kind: z.literal('error'),
  ...session,
  code: z.enum(AGENT_ERROR_CODES),
  message: text,
  /** The scenarios the error is about (e.g. the unknown names). */
  scenarios: z.array(name).max(10_000),
})

export const MESSAGE_SCHEMAS = {
  discover: discoverMessageSchema,
  announce: announceMessageSchema,
  assign: assignMessageSchema,
  start: startMessageSchema,
  stop: stopMessageSchema,
  cancel: cancelMessageSchema,
  'final-ack': finalAckMessageSchema,
  heartbeat: heartbeatMessageSchema,
  accepted: acceptedMessageSchema,
  ready: readyMessageSchema,
  interim: interimMessageSchema,
  final: finalMessageSchema,
  error: errorMessageSchema,
} as const

export type MessageKind = keyof typeof MESSAGE_SCHEMAS
export const MESSAGE_KINDS = Object.keys(MESSAGE_SCHEMAS) as MessageKind[]
export type MessageOf<K extends MessageKind> = z.infer<(typeof MESSAGE_SCHEMAS)[K]>
export type ClusterMessage = { [K in MessageKind]: MessageOf<K> }[MessageKind]
/** What a sender fills in: the message without its envelope and kind. */
export type MessageBody<K extends MessageKind> = Omit<MessageOf<K>, keyof Envelope | 'kind'>

export type AnnounceMessage = MessageOf<'announce'>
export type AssignMessage = MessageOf<'assign'>
export type WireScenarioSettings = z.infer<typeof wireScenarioSettingsSchema>

export function isMessageKind(value: unknown): value is MessageKind {
  return typeof value === 'string' && Object.hasOwn(MESSAGE_SCHEMAS, value)
}
