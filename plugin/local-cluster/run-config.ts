/**
 * The one seam between the local cluster and the test workers: the config a
 * worker's loadScenario runs with. Today each loadScenario coordinates the
 * local agents itself (NodeType Coordinator over the cluster's nats-server);
 * once the coordinator service exists, this becomes NodeType 'Client' of the
 * service the global setup started, and nothing else in the workers changes.
 */
import type { LoadspecConfig } from '../../src/config/index.js'

/** What the global setup knows about the cluster it started. */
export interface LocalClusterHandle {
  readonly kind: 'processes' | 'in-process'
  readonly natsServerUrls: readonly string[]
  readonly clusterId: string
  readonly agents: number
}

export function localClusterRunConfig(config: LoadspecConfig, handle: LocalClusterHandle): LoadspecConfig {
  if (handle.kind === 'in-process') return { ...config, nodeType: 'Coordinator', enableLocalDevCluster: true, agentsCount: handle.agents }
  return {
    ...config,
    nodeType: 'Coordinator',
    enableLocalDevCluster: false,
    natsServerUrl: [...handle.natsServerUrls],
    clusterId: handle.clusterId,
    agentsCount: handle.agents,
  }
}
