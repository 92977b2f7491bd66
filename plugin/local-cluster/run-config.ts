/**
 * The one seam between the local cluster and the test workers: the config a
 * worker's loadScenario runs with: NodeType Client of the coordinator service
 * the global setup started (the same path as a remote fleet), or, without
 * nats-server, the in-process dev cluster.
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
    nodeType: 'Client',
    enableLocalDevCluster: false,
    natsServerUrl: [...handle.natsServerUrls],
    clusterId: handle.clusterId,
    agentsCount: handle.agents,
  }
}
