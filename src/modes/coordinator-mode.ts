/**
 * NodeType Coordinator: connect, run one session, disconnect. The mode keeps
 * the agent directory itself (the session's `directory` option), so it can
 * say what it waits for while agents are missing (the report ends by itself
 * once they are all there); its discover rounds go on until the session ends.
 */
import { hostname } from 'node:os'
import type { SerializedRunResult } from '../result/result.js'
import type { ModeRequest } from './mode-request.js'
import { AgentWaitReport } from '../cluster/agent-wait-report.js'
import { AgentDirectory } from '../cluster/coordinator/agent-directory.js'
import { planSession } from '../cluster/coordinator/plan.js'
import { runCoordinatorSession } from '../cluster/coordinator/session.js'
import { newNodeId } from '../cluster/ids.js'
import { consoleClusterLog } from '../cluster/log.js'
import { MessageEncoder, MessageGate } from '../cluster/protocol/codec.js'
import { clusterSubjects } from '../cluster/protocol/subjects.js'
import { createTransportFactory } from '../cluster/transport/factory.js'

export async function runCoordinatorMode(request: ModeRequest): Promise<SerializedRunResult> {
  const { config } = request
  const log = consoleClusterLog('loadspec coordinator')
  // Targeting mistakes are reported before anything connects.
  const plan = planSession({ scenarios: request.scenarios, config })
  const transports = createTransportFactory(config, log)
  const transport = await transports.connect(`loadspec coordinator ${hostname()}:${process.pid}`)
  const coordinatorId = newNodeId('coordinator')
  const namespace = { clusterId: config.clusterId, agentGroup: config.agentGroup }
  const directory = new AgentDirectory(
    transport,
    clusterSubjects(config.clusterId, config.agentGroup),
    new MessageEncoder(namespace, coordinatorId),
    new MessageGate(namespace, log, `coordinator ${coordinatorId}`),
    log,
  )
  directory.start(config.heartbeatIntervalMs)
  const waiting = plan.slots.length === 0 ? undefined : new AgentWaitReport({ directory, needed: plan.slots.length, timeoutMs: config.clusterCommandTimeoutMs, log })
  try {
    const run = await runCoordinatorSession({
      scenarios: request.scenarios,
      config,
      transport,
      log,
      coordinatorId,
      directory,
      ...(request.stopSignal === undefined ? {} : { stopSignal: request.stopSignal }),
      ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
    })
    return run.result
  } finally {
    waiting?.stop()
    directory.close()
    await transport.close()
    await transports.close()
  }
}
