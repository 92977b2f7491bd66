import { generatorWarnings } from '../result/generator.js'
import type { SerializedRunResult } from '../result/result.js'
import { runSingleNode } from './single-node.js'
import type { ModeRequest } from './mode-request.js'

/**
 * The one seam between "what to run" and "where it runs": the config decides.
 * Cluster modes are imported on demand, so a single-node run never loads
 * the NATS client.
 */
export async function runInMode(request: ModeRequest): Promise<SerializedRunResult> {
  const result = await runInConfiguredMode(request)
  // Said once for every mode: a node whose generator was saturated measured itself as much as the target.
  const saturated = generatorWarnings(result.nodes)
  return saturated.length === 0 ? result : { ...result, warnings: [...result.warnings, ...saturated] }
}

async function runInConfiguredMode(request: ModeRequest): Promise<SerializedRunResult> {
  const { config } = request
  // The config rules forbid it for agents: with Single or Coordinator, it means "agents in-process".
  if (config.enableLocalDevCluster) {
    const { runLocalDevCluster } = await import('./local-dev-cluster.js')
    return runLocalDevCluster(request)
  }
  switch (config.nodeType) {
    case 'Single':
      return runSingleNode(request)
    case 'Coordinator': {
      const { runCoordinatorMode } = await import('./coordinator-mode.js')
      return runCoordinatorMode(request)
    }
    case 'Agent': {
      const { runAgentMode } = await import('./agent-mode.js')
      return runAgentMode(request)
    }
    case 'Client': {
      const { runClientMode } = await import('./client-mode.js')
      return runClientMode(request)
    }
  }
}
