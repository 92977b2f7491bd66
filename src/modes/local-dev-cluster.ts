/**
 * EnableLocalDevCluster: AgentsCount agents in this process, on an
 * in-memory bus, running the very coordinator and agent code of the
 * distributed mode (only the transport differs). No NATS needed.
 */
import type { SerializedRunResult } from '../result/result.js'
import type { ModeRequest } from './mode-request.js'
import { ClusterAgent } from '../cluster/agent/agent.js'
import { runCoordinatorSession } from '../cluster/coordinator/session.js'
import { sleep } from '../cluster/gated-node-run.js'
import { consoleClusterLog } from '../cluster/log.js'
import { MemoryBus } from '../cluster/transport/memory.js'

/** An in-process agent that will not stop (an init ignoring ctx.signal) is left behind after this long. */
const AGENT_STOP_BOUND_MS = 10_000

export async function runLocalDevCluster(request: ModeRequest): Promise<SerializedRunResult> {
  const { config } = request
  const log = consoleClusterLog('loadspec local-dev-cluster', { quiet: true })
  const bus = new MemoryBus()
  const agents = Array.from({ length: config.agentsCount }, (_, index) => {
    const agentId = `local-agent-${index + 1}`
    return new ClusterAgent({ scenarios: request.scenarios, transport: bus.connect(agentId), clusterId: config.clusterId, agentGroup: config.agentGroup, agentId, log })
  })
  for (const agent of agents) agent.start()
  try {
    const run = await runCoordinatorSession({
      scenarios: request.scenarios,
      config,
      transport: bus.connect('local-coordinator'),
      log,
      coordinatorId: 'local-coordinator',
      ...(request.stopSignal === undefined ? {} : { stopSignal: request.stopSignal }),
      ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
    })
    return run.result
  } finally {
    const stopped = Promise.all(agents.map((agent) => agent.stop('the local dev cluster is shutting down')))
    await Promise.race([stopped, sleep(AGENT_STOP_BOUND_MS)])
    await bus.close()
  }
}
