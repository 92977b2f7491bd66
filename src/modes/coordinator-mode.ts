/** NodeType Coordinator: connect, run one session, disconnect. */
import { hostname } from 'node:os'
import type { SerializedRunResult } from '../result/result.js'
import type { ModeRequest } from './mode-request.js'
import { AgentWaitReport } from '../cluster/agent-wait-report.js'
import { planSession } from '../cluster/coordinator/plan.js'
import { fingerprintsOf } from '../cluster/fingerprint.js'
import { runCoordinatorSession } from '../cluster/coordinator/session.js'
import { consoleClusterLog } from '../cluster/log.js'
import { createTransportFactory } from '../cluster/transport/factory.js'

export async function runCoordinatorMode(request: ModeRequest): Promise<SerializedRunResult> {
  const { config } = request
  const log = consoleClusterLog('loadspec coordinator')
  // Targeting mistakes are reported before anything connects.
  const plan = planSession({ scenarios: request.scenarios, config })
  const transports = createTransportFactory(config, log)
  const transport = await transports.connect(`loadspec coordinator ${hostname()}:${process.pid}`)
  // Missing agents are said at once, and each change (the report stops by itself once they are all there).
  const waiting =
    plan.slots.length === 0
      ? undefined
      : new AgentWaitReport({ transport, namespace: { clusterId: config.clusterId, agentGroup: config.agentGroup }, needed: plan.slots.length, timeoutMs: config.clusterCommandTimeoutMs, log })
  try {
    const run = await runCoordinatorSession({
      scenarios: request.scenarios,
      config,
      transport,
      log,
      // Agents must run the code this process has: the same check a coordinator service makes for its clients.
      codeCheck: { fingerprints: fingerprintsOf(request.scenarios), side: 'coordinator', allowCodeMismatch: config.allowCodeMismatch },
      ...(request.stopSignal === undefined ? {} : { stopSignal: request.stopSignal }),
      ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
    })
    return run.result
  } finally {
    waiting?.stop()
    await transport.close()
    await transports.close()
  }
}
