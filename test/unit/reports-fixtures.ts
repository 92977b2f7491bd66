/**
 * Run results for the report tests, built from exact figures (no clock):
 * two scenarios, steps, failures, an open model, two nodes, a warning and a
 * time series whose points are real interval stats.
 */
import { createRunResult, type RunResult, type SerializedRunResult } from '../../src/index.js'
import { failRequests, okRequests, serializedStats, type ScenarioFigures } from '../support/stats-builder.js'

/** Scenario names that need escaping in every format. */
export const CHECKOUT = 'checkout'
export const AWKWARD_NAME = 'search, "fuzzy" | <b>list</b>'

const checkout: ScenarioFigures = {
  name: CHECKOUT,
  ok: okRequests(200).map((request, index) => ({ ...request, latencyMs: 1 + (index % 100) * 0.37, bytes: 1000 + index })),
  fail: [...failRequests(7, 500, 'internal error', 12), ...failRequests(3, 'timeout', 'took too long', 30)],
  durationMs: 2000,
  droppedIterations: 4,
  openModel: { serviceTimeMs: [1, 2, 3, 4], startLagMs: [0.1, 0.3] },
  steps: [
    { name: 'login', ok: okRequests(50) },
    { name: 'pay', ok: okRequests(20), fail: failRequests(2, 402, 'declined') },
  ],
}

const search: ScenarioFigures = { name: AWKWARD_NAME, ok: okRequests(40), durationMs: 2000 }

export async function sampleSerializedResult(): Promise<SerializedRunResult> {
  const [checkoutStats, searchStats] = await Promise.all([serializedStats(checkout), serializedStats(search)])
  // Four intervals of 500 ms: nothing measured in the first (a warm-up), then each scenario's figures.
  const points = await Promise.all(
    [0, 1, 2, 3].map(async (index) => ({
      index,
      startMs: index * 500,
      durationMs: 500,
      scenarios:
        index === 0
          ? []
          : await Promise.all([
              serializedStats({ name: CHECKOUT, ok: okRequests(20 * index), fail: failRequests(index), durationMs: 500 }),
              serializedStats({ name: AWKWARD_NAME, ok: okRequests(10), durationMs: 500 }),
            ]),
    })),
  )
  return {
    version: 2,
    startedAt: '2025-03-04T05:06:07.890Z',
    durationMs: 2100,
    incomplete: false,
    nodes: [
      { nodeId: 'coordinator-1', nodeType: 'Coordinator', host: 'ci-1', pid: 101, scenarios: [CHECKOUT], partition: { number: 0, count: 2 } },
      { nodeId: 'agent-1', nodeType: 'Agent', host: 'ci-2', pid: 202, scenarios: [CHECKOUT, AWKWARD_NAME], partition: { number: 1, count: 2 } },
    ],
    warnings: ['scenario "checkout" clean failed: connection reset'],
    reportFiles: [],
    scenarios: [checkoutStats, searchStats],
    timeSeries: { intervalMs: 500, points },
  }
}

export async function sampleResult(): Promise<RunResult> {
  return createRunResult(await sampleSerializedResult())
}
