import { hostname } from 'node:os'
import { runScenariosOnNode } from '../engine/node-run.js'
import type { SerializedScenarioStats } from '../stats/types.js'
import type { SerializedRunResult } from '../result/result.js'
import { selectTargetScenarios } from '../engine/targeting.js'
import type { ModeRequest } from './mode-request.js'

/** NodeType Single: everything targeted runs on this process. */
export async function runSingleNode(request: ModeRequest): Promise<SerializedRunResult> {
  const scenarios = selectTargetScenarios(request.scenarios, request.config.targetScenarios)
  const startedAt = new Date().toISOString()
  const output = await runScenariosOnNode(scenarios, {
    ...(request.stopSignal === undefined ? {} : { stopSignal: request.stopSignal }),
    ...(request.onProgress === undefined
      ? {}
      : { onInterimStats: (scenarios: SerializedScenarioStats[], elapsedMs: number) => request.onProgress?.({ elapsedMs, scenarios }) }),
    ...(request.config.reportingIntervalMs === undefined
      ? {}
      : { seriesIntervalMs: request.config.reportingIntervalMs, interimIntervalMs: request.config.reportingIntervalMs }),
  })
  return {
    version: 2,
    startedAt,
    durationMs: output.durationMs,
    incomplete: false,
    nodes: [
      {
        nodeId: `${hostname()}-${process.pid}`,
        nodeType: 'Single',
        host: hostname(),
        pid: process.pid,
        scenarios: scenarios.map((scenario) => scenario.name),
        partition: { number: 0, count: 1 },
        ...(output.generator === undefined ? {} : { generator: output.generator }),
      },
    ],
    warnings: output.warnings,
    reportFiles: [],
    scenarios: output.stats,
    timeSeries: output.timeSeries,
  }
}
