/** NodeType Coordinator: connect, run one session, disconnect. */
import { hostname } from 'node:os'
import type { SerializedRunResult } from '../result/result.js'
import type { ModeRequest } from './mode-request.js'
import { planSession } from '../cluster/coordinator/plan.js'
import { runCoordinatorSession } from '../cluster/coordinator/session.js'
import { consoleClusterLog } from '../cluster/log.js'
import { createTransportFactory } from '../cluster/transport/factory.js'

export async function runCoordinatorMode(request: ModeRequest): Promise<SerializedRunResult> {
  const { config } = request
  const log = consoleClusterLog('loadspec coordinator')
  // Targeting mistakes are reported before anything connects.
  planSession({ scenarios: request.scenarios, config })
  const transports = createTransportFactory(config, log)
  const transport = await transports.connect(`loadspec coordinator ${hostname()}:${process.pid}`)
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
    await transports.close()
  }
}
