/**
 * The cluster protocol, version 3: every message is one JSON object with an
 * envelope (protocol, version, cluster namespace, sender, send time) and a
 * `kind`. Each kind has a zod schema that a receiver checks before acting
 * (see codec.ts); these schemas are the protocol's reference.
 *
 * Session flow (→ coordinator to agent, ← agent to coordinator):
 *   → discover (broadcast)         ← announce (also sent unprompted when an agent starts or becomes idle)
 *   → reserve { attempt, leaseMs }  ← reserved | busy { holder }
 *     (all or nothing: a coordinator that cannot reserve every agent it needs
 *     sends release to those it holds and tries again after a jittered back-off;
 *     a reservation not followed by assign lapses after leaseMs)
 *   → release
 *   → assign (re-sent until answered) ← accepted | busy | error
 *                                   ← ready            (every init done; the agent waits for start)
 *   → start { startAtEpochMs }       (one moment for every node, in each agent's own clock)
 *                                   ← interim          (the time-series point of the interval just ended, numbered; cut in parts when big)
 *   → stop (graceful) | cancel (abandon the session)
 *                                   ← final            (re-sent until acknowledged)
 *   → final-ack
 * Both sides send `heartbeat` every HeartbeatIntervalMs from assign to final-ack;
 * a side that hears nothing from the other for AgentLostTimeoutMs gives up on it.
 *
 * Identity: every process has an instance id (the envelope's senderInstanceId)
 * besides the agent id it was given. reserve and assign name the instance they
 * are for, so a second process started with the same --agent-id never joins a
 * session meant for the first; a coordinator that hears two live instances of
 * one id sends `id-conflict`, and every instance but the one it keeps leaves.
 */
import { z } from 'zod'
import { loadSimulationListSchema } from '../../simulations/schema.js'

export const PROTOCOL_NAME = 'loadspec-cluster'
/**
 * 2: reservations (reserve, reserved, busy, release), instance ids, id-conflict.
 * 3: interims are per-interval deltas with a sequence number, cut into parts under the broker's max payload;
 *    assign and accepted carry an exchange number (clock offset from the exchange that was answered).
 */
export const PROTOCOL_VERSION = 3

/** What an agent is doing in a session, as its heartbeats report it. */
export const AGENT_PHASES = ['initializing', 'ready', 'running', 'reporting'] as const
export type AgentPhase = (typeof AGENT_PHASES)[number]

/** What the coordinator is doing in a session, as its heartbeats report it. */
export const COORDINATOR_PHASES = ['assigning', 'initializing', 'running', 'collecting'] as const
export type CoordinatorPhase = (typeof COORDINATOR_PHASES)[number]

/** Why an agent refuses or abandons a session. */
export const AGENT_ERROR_CODES = ['unknown-scenario', 'invalid-assignment', 'init-failed', 'run-failed', 'shutting-down'] as const
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
  /** The sending process's own random id: two processes given one agent id still differ here. */
  senderInstanceId: id,
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

/** Who holds a busy agent, as it tells coordinators (in announce, and when it refuses). */
export const holderSchema = z.object({
  coordinatorId: id,
  host: z.string().max(1000),
  pid: z.number().int(),
  sessionId: id,
  /** reserved: promised to that coordinator, not yet assigned; serving: its session runs. */
  state: z.enum(['reserved', 'serving']),
})

export const announceMessageSchema = z.object({
  ...envelope,
  kind: z.literal('announce'),
  host: z.string().max(1000),
  pid: z.number().int(),
  /** Names of the scenarios this agent registered. */
  scenarios: z.array(name).max(10_000),
  /** busy: serving a session, or reserved for one. */
  state: z.enum(['idle', 'busy']),
  /** The session a busy agent serves (or is reserved for). */
  sessionId: id.nullable(),
  /** Who holds a busy agent (null when idle, or busy shutting down). */
  holder: holderSchema.nullable(),
  /** When this agent process started (its clock): the older of two processes with one id is the one kept. */
  startedAtEpochMs: epochMs,
  /** Scenario name → fingerprint of this agent's code for it (cluster/fingerprint.ts). */
  fingerprints: z.record(name, z.string().max(200)).optional(),
})

/** The coordinator's process, so a busy agent can name who holds it. */
const coordinatorProcess = { coordinatorHost: z.string().max(1000), coordinatorPid: z.number().int() }

export const reserveMessageSchema = z.object({
  ...envelope,
  kind: z.literal('reserve'),
  ...session,
  agentId: id,
  /** Only this process answers: another process with the same agent id ignores the message. */
  agentInstanceId: id,
  /** Numbers the coordinator's attempts, so answers to an abandoned attempt are told apart. */
  attempt: z.number().int().positive(),
  /** The reservation lapses this long after it was taken, unless assign comes first. */
  leaseMs: positiveMs,
  ...coordinatorProcess,
})

export const reservedMessageSchema = z.object({ ...envelope, kind: z.literal('reserved'), ...session, attempt: z.number().int().positive() })

export const releaseMessageSchema = z.object({ ...envelope, kind: z.literal('release'), ...session })

export const busyMessageSchema = z.object({
  ...envelope,
  kind: z.literal('busy'),
  ...session,
  /** The reserve attempt refused; null when an assign was refused. */
  attempt: z.number().int().positive().nullable(),
  /** Null when the agent is shutting down. */
  holder: holderSchema.nullable(),
  message: text,
})

export const idConflictMessageSchema = z.object({
  ...envelope,
  kind: z.literal('id-conflict'),
  agentId: id,
  /** The one process that keeps the id; every other listed instance leaves the cluster. */
  keepInstanceId: id,
  instances: z
    .array(z.object({ instanceId: id, host: z.string().max(1000), pid: z.number().int(), startedAtEpochMs: epochMs }))
    .min(2)
    .max(64),
})

export const assignMessageSchema = z.object({
  ...envelope,
  kind: z.literal('assign'),
  ...session,
  agentId: id,
  /** As in reserve: the one process this assignment is for. */
  agentInstanceId: id,
  /** Numbers each send of the assign (1, 2, … when re-sent); accepted echoes it, so the round trip is that exchange's. */
  exchange: z.number().int().positive(),
  ...coordinatorProcess,
  partition: partitionSchema,
  scenarios: z.array(z.object({ name, settings: wireScenarioSettingsSchema })).max(10_000),
  /** One series interval for every node, so the merged time series lines up. */
  /** Also the interim cadence: each interim is the series point of the interval just ended. */
  seriesIntervalMs: positiveMs,
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

/** The answer to one assign: `exchange` is that assign's number, the envelope's send time the agent's clock then. */
export const acceptedMessageSchema = z.object({ ...envelope, kind: z.literal('accepted'), ...session, exchange: z.number().int().positive() })
export const readyMessageSchema = z.object({ ...envelope, kind: z.literal('ready'), ...session, initMs: ms })

/**
 * One interval's stats (a time-series point: that interval alone, not the
 * sum so far); the coordinator adds the intervals up. A point too big for
 * one message is cut into parts, like final stats.
 */
export const interimMessageSchema = z
  .object({
    ...envelope,
    kind: z.literal('interim'),
    ...session,
    /** The point's index in the agent's time series: 0, 1, 2, … A number seen twice is a replay. */
    seq: z.number().int().nonnegative().max(10_000_000),
    part: z.number().int().nonnegative(),
    parts: z.number().int().positive().max(10_000),
    /** A slice of the series point's JSON text. */
    data: z.string(),
  })
  .refine((message) => message.part < message.parts, { message: 'part must be below parts' })

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
  reserve: reserveMessageSchema,
  reserved: reservedMessageSchema,
  release: releaseMessageSchema,
  busy: busyMessageSchema,
  'id-conflict': idConflictMessageSchema,
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
export type Holder = z.infer<typeof holderSchema>
export type WireScenarioSettings = z.infer<typeof wireScenarioSettingsSchema>

export function isMessageKind(value: unknown): value is MessageKind {
  return typeof value === 'string' && Object.hasOwn(MESSAGE_SCHEMAS, value)
}
