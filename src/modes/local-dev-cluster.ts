/**
 * EnableLocalDevCluster: AgentsCount agents in this process, running the
 * very coordinator and agent code of the distributed mode; only the
 * transport differs (the factory gives in-memory connections for this
 * config). No NATS needed.
 */
import type { SerializedRunResult } from '../result/result.js'
import type { ModeRequest } from './mode-request.js'
import { ClusterAgent } from '../cluster/agent/agent.js'
import { runCoordinatorSession } from '../cluster/coordinator/session.js'
import { sleep } from '../cluster/gated-node-run.js'
import { consoleClusterLog } from '../cluster/log.js'
import { createTransportFactory } from '../cluster/transport/factory.js'

/** An in-process agent that will not stop (an init ignoring ctx.signal) is left behind after this long. */
const AGENT_STOP_BOUND_MS = 10_000

export async function runLocalDevCluster(request: ModeRequest): Promise<SerializedRunResult> {
  const { config } = request
  const log = consoleClusterLog('loadspec local-dev-cluster', { quiet: true })
  const transports = createTransportFactory(config, log)
  const agents: ClusterAgent[] = []
  try {
    for (let index = 0; index < config.agentsCount; index++) {
      const agentId = `local-agent-${index + 1}`
      const transport = await transports.connect(agentId)
      agents.push(new ClusterAgent({ scenarios: request.scenarios, transport, clusterId: config.clusterId, agentGroup: config.agentGroup, agentId, log }))
    }
    for (const agent of agents) agent.start()
    const run = await runCoordinatorSession({
      scenarios: request.scenarios,
      config,
      transport: await transports.connect('local-coordinator'),
      log,
      coordinatorId: 'local-coordinator',
      ...(request.stopSignal === undefined ? {} : { stopSignal: request.stopSignal }),
      ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
    })
    return run.result
  } finally {
    const stopped = Promise.all(agents.map((agent) => agent.stop('the local dev cluster is shutting down')))
    await Promise.race([stopped, sleep(AGENT_STOP_BOUND_MS)])
    // Closes every connection of the bus.
    await transports.close()
  }
}
