/**
 * The coordinator service and its clients as processes, as a team runs them:
 * `loadspec coordinator` and `loadspec run` of a client script
 * (test/fixtures/service-nodes/client.ts) with NodeType Client. Timing keys
 * are shortened so liveness shows in a couple of seconds.
 */
import { startNodeProcess, type NodeProcess } from './cluster-processes.js'
import type { FaultCluster } from './faults.js'

/** Heartbeats and the lost timeout every node of a service test uses. */
export const SERVICE_TIMING = { heartbeatIntervalMs: 250, agentLostTimeoutMs: 2000 } as const

const timingArgs = [`--HeartbeatIntervalMs=${SERVICE_TIMING.heartbeatIntervalMs}`, `--AgentLostTimeoutMs=${SERVICE_TIMING.agentLostTimeoutMs}`]

export function namespaceArgs(cluster: Omit<FaultCluster, 'targetUrl'>): string[] {
  return [`--NatsServerUrl=${cluster.natsUrl}`, `--ClusterId=${cluster.clusterId}`, `--AgentGroup=${cluster.agentGroup}`]
}

export function startServiceProcess(cluster: Omit<FaultCluster, 'targetUrl'>, extraArgs: readonly string[] = [], env: Record<string, string> = {}): NodeProcess {
  return startNodeProcess(['bin/loadspec.js', 'coordinator', ...namespaceArgs(cluster), ...timingArgs, ...extraArgs], env)
}

/** A client asking for `agentsCount` agents running "steady" at `perSecond` for `duration`. */
export function startClientProcess(cluster: Omit<FaultCluster, 'targetUrl'>, load: { perSecond: number; duration: string; agentsCount?: number }, env: Record<string, string> = {}): NodeProcess {
  return startNodeProcess(['bin/loadspec.js', 'run', 'test/fixtures/service-nodes/client.ts'], {
    LOADSPEC_NATS_SERVER_URL: cluster.natsUrl,
    LOADSPEC_CLUSTER_ID: cluster.clusterId,
    LOADSPEC_AGENT_GROUP: cluster.agentGroup,
    LOADSPEC_AGENTS_COUNT: String(load.agentsCount ?? 2),
    LOADSPEC_HEARTBEAT_INTERVAL_MS: String(SERVICE_TIMING.heartbeatIntervalMs),
    LOADSPEC_AGENT_LOST_TIMEOUT_MS: String(SERVICE_TIMING.agentLostTimeoutMs),
    SERVICE_INJECT_PER_SECOND: String(load.perSecond),
    SERVICE_INJECT_DURATION: load.duration,
    ...env,
  })
}

/** The request count a client printed when it finished. */
export async function finishedCount(client: NodeProcess, timeoutMs = 20_000): Promise<number> {
  const match = await client.waitFor(/\[fixture client\] finished: (\d+) requests/, timeoutMs)
  return Number(match[1])
}
