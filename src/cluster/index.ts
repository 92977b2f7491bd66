/**
 * The cluster: protocol (zod-checked versioned messages, namespaced
 * subjects), transports (NATS, in-memory, chosen by a factory from the
 * config), the coordinator session (a pure plan and small pieces:
 * discovery, reservation, start/clock, liveness, collection) and the agent
 * state machine, and scenario placement. The modes that use them live in src/modes/
 */
export { ClusterError, type AgentSummary, type ClusterErrorCode } from './errors.js'
export { waitForAgents, type WaitForAgentsOptions } from './wait-for-agents.js'
export { runCoordinatorSession, type CoordinatorRun, type CoordinatorSessionOptions, type SessionTimings } from './coordinator/session.js'
export { AgentDirectory, type HeardAgent, type IdConflict, type DirectoryListener } from './coordinator/agent-directory.js'
export { planSession, type SessionPlan, type SlotPlan, type ReservationTiming } from './coordinator/plan.js'
export { ClusterAgent, type AgentEvent, type AgentRetirement, type ClusterAgentOptions, type IdKeeper } from './agent/agent.js'
export type { SessionOutcome } from './agent/agent-session.js'
export { placeScenarios, type Placement, type AgentPlacement, type PlacementInput } from './placement.js'
export type { ClusterTransport, TransportStatus, MessageHandler } from './transport/transport.js'
export { MemoryBus, MemoryTransport } from './transport/memory.js'
export { createTransportFactory, transportKindOf, type TransportFactory, type TransportKind } from './transport/factory.js'
export { connectNatsTransport, NatsTransport, type NatsTransportOptions } from './transport/nats.js'
export { natsConnectionOptions, type NatsSettings } from './transport/nats-options.js'
export { clusterSubjects, subjectToken, type ClusterSubjects } from './protocol/subjects.js'
export {
  PROTOCOL_NAME,
  PROTOCOL_VERSION,
  MESSAGE_SCHEMAS,
  MESSAGE_KINDS,
  type ClusterMessage,
  type MessageKind,
  type MessageOf,
} from './protocol/messages.js'
export { MessageEncoder, MessageGate, MAX_MESSAGE_BYTES, type DropReason } from './protocol/codec.js'
export type { NodeReport } from './protocol/node-report.js'
export { consoleClusterLog, silentClusterLog, type ClusterLog } from './log.js'
export { encodeFinalMessages, timeMerge } from './bench-hooks.js'
export { CoordinatorService, type CoordinatorServiceOptions } from './service/coordinator-service.js'
export { runClientSession, defaultClientId, type ClientSessionOptions, type ClientSessionOutcome } from './service/client-session.js'
export { queryServiceStatus, statusLine, statusReport, type StatusQuery } from './service/status-query.js'
export { serviceSubjects, SERVICE_PROTOCOL_NAME, SERVICE_PROTOCOL_VERSION, type ServiceSubjects, type ServiceStatus, type ServiceStatusBody, type AgentStatus } from './service/protocol.js'
