/**
 * NodeType Client: submit the run to a coordinator service and take its
 * merged result. The client runs no load: its scenarios' names and load
 * shapes travel, their code stays with the agents (and the service, for
 * CoordinatorTargetScenarios). Reports are written here, by the runner, from
 * the result the service sends.
 */
import { hostname } from 'node:os'
import type { SerializedRunResult } from '../result/result.js'
import type { ModeRequest } from './mode-request.js'
import { selectTargetScenarios } from '../engine/targeting.js'
import { wireSettings } from '../cluster/coordinator/load-shape.js'
import { planSession } from '../cluster/coordinator/plan.js'
import { scenarioFingerprint } from '../cluster/fingerprint.js'
import { consoleClusterLog } from '../cluster/log.js'
import { runClientSession } from '../cluster/service/client-session.js'
import { createTransportFactory } from '../cluster/transport/factory.js'
import { parseRunResultJson } from '../reports/result-schema.js'

export async function runClientMode(request: ModeRequest): Promise<SerializedRunResult> {
  const { config } = request
  const log = consoleClusterLog('loadspec client')
  // Targeting mistakes are reported before anything connects; the service checks them again against its fleet.
  planSession({ scenarios: request.scenarios, config })
  const scenarios = selectTargetScenarios(request.scenarios, config.targetScenarios)
  const transports = createTransportFactory(config, log)
  const transport = await transports.connect(`loadspec client ${hostname()}:${process.pid}`)
  try {
    const { sessionId, resultText } = await runClientSession({
      scenarios: scenarios.map((scenario) => ({ name: scenario.name, settings: wireSettings(scenario), fingerprint: scenarioFingerprint(scenario) })),
      config,
      transport,
      log,
      onState: (state) =>
        log.info(
          state.state === 'queued'
            ? `session ${state.sessionId} queued at place ${state.position}, waiting for ${state.waitingFor}`
            : `session ${state.sessionId} running${state.agents.length === 0 ? '' : ` on ${state.agents.join(', ')}`}`,
        ),
      ...(request.stopSignal === undefined ? {} : { stopSignal: request.stopSignal }),
      ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
    })
    const result = parseRunResultJson(resultText, `the result of session ${sessionId}`)
    // Reports are the client's to write: the service wrote none.
    return { ...result, reportFiles: [] }
  } finally {
    await transport.close()
    await transports.close()
  }
}
