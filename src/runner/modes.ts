import type { SerializedRunResult } from './result.js'
import { runSingleNode, type ModeRequest } from './single-node.js'

/** The one seam between "what to run" and "where it runs": the config decides. */
export async function runInMode(request: ModeRequest): Promise<SerializedRunResult> {
  const { config } = request
  if (config.nodeType === 'Single' && !config.enableLocalDevCluster) return runSingleNode(request)
  throw new Error(`NodeType ${config.nodeType}${config.enableLocalDevCluster ? ' with EnableLocalDevCluster' : ''} is not available in this build`)
}
