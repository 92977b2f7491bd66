/** NodeType Coordinator over NATS: connect, run one session, disconnect. */
import { hostname } from 'node:os'
import type { SerializedRunResult } from '../result/result.js'
import type { ModeRequest } from './mode-request.js'
import { runCoordinatorSession } from '../cluster/coordinator/session.js'
import { consoleClusterLog } from '../cluster/log.js'
import { placeScenarios } from '../cluster/placement.js'
import { connectNatsTransport } from '../cluster/transport/nats.js'

export async function runCoordinatorMode(request: ModeRequest): Promise<SerializedRunResult> {
  const { config } = request
  const log = consoleClusterLog('loadspec coordinator')
  // Targeting mistakes are reported before anything connects.
  placeScenarios({
    scenarios: request.scenarios.map((scenario) => ({ name: scenario.name, weight: scenario.settings.weight })),
    targetScenarios: config.targetScenarios,
    agentTargetScenarios: config.agentTargetScenarios,
    coordinatorTargetScenarios: config.coordinatorTargetScenarios,
    agentsCount: config.agentsCount,
  })
  const transport = await connectNatsTransport(config, { log, name: `loadspec coordinator ${hostname()}:${process.pid}` })
  try {
    const run = await runCoordinatorSession({
      scenarios: request.scenarios,
      config,
      transport,
      log,
      ...(request.stopSignal === undefined ? {} : { stopSignal: request.stopSignal }),
      ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
    })
    return run.result
  } finally {
    await transport.close()
  }
}
