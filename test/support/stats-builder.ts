/**
 * Builds real stats and RunResults from exact figures, without a clock: the
 * matchers and the stats table are tested against the very objects the
 * engine hands to users, with latencies chosen by the test.
 */
import { createRunResult, type RunResult, type ScenarioStats } from '../../src/index.js'
import { initHistograms, ScenarioRecorder } from '../../src/stats/index.js'
import type { SerializedScenarioStats } from '../../src/stats/types.js'

export interface RecordedRequest {
  readonly latencyMs: number
  readonly status?: number | string
  readonly bytes?: number
  readonly message?: string
}

export interface ScenarioFigures {
  readonly name?: string
  readonly ok?: readonly RecordedRequest[]
  readonly fail?: readonly RecordedRequest[]
  readonly durationMs?: number
  readonly droppedIterations?: number
  /** Open model: also record these service times and start lags (ms). */
  readonly openModel?: { readonly serviceTimeMs: readonly number[]; readonly startLagMs: readonly number[] }
  readonly steps?: readonly { readonly name: string; readonly ok?: readonly RecordedRequest[]; readonly fail?: readonly RecordedRequest[] }[]
}

/** `count` ok requests with latencies 1, 2, … count ms (status 200, 100 bytes each). */
export function okRequests(count: number, status: number | string = 200): RecordedRequest[] {
  return Array.from({ length: count }, (_, index) => ({ latencyMs: index + 1, status, bytes: 100 }))
}

export function failRequests(count: number, status: number | string = 500, message = 'boom', latencyMs = 1): RecordedRequest[] {
  return Array.from({ length: count }, () => ({ latencyMs, status, message }))
}

export async function serializedStats(figures: ScenarioFigures): Promise<SerializedScenarioStats> {
  await initHistograms()
  const recorder = new ScenarioRecorder(figures.name ?? 'checkout', { openModel: figures.openModel !== undefined })
  try {
    record(recorder, figures.ok, figures.fail)
    for (const step of figures.steps ?? []) record(recorder.step(step.name), step.ok, step.fail)
    for (const ms of figures.openModel?.serviceTimeMs ?? []) recorder.recordServiceTime(ms * 1000)
    for (const ms of figures.openModel?.startLagMs ?? []) recorder.recordStartLag(ms * 1000)
    if (figures.droppedIterations) recorder.recordDropped(figures.droppedIterations)
    return recorder.serialize(figures.durationMs ?? 1000)
  } finally {
    recorder.destroy()
  }
}

export async function runResultOf(...scenarios: ScenarioFigures[]): Promise<RunResult> {
  const serialized = await Promise.all(scenarios.map(serializedStats))
  return createRunResult({
    version: 2,
    startedAt: new Date(0).toISOString(),
    durationMs: Math.max(0, ...serialized.map((stats) => stats.durationMs)),
    incomplete: false,
    nodes: [],
    warnings: [],
    reportFiles: [],
    scenarios: serialized,
    timeSeries: { intervalMs: 1000, points: [] },
  })
}

export async function scenarioStatsOf(figures: ScenarioFigures): Promise<ScenarioStats> {
  const result = await runResultOf(figures)
  return result.getScenarioStats(figures.name ?? 'checkout')
}

interface Recording {
  recordOk(latencyUs: number, sizeBytes: number, statusCode: number | string, message: string): void
  recordFail(latencyUs: number, sizeBytes: number, statusCode: number | string, message: string): void
}

function record(recorder: Recording, ok: readonly RecordedRequest[] = [], fail: readonly RecordedRequest[] = []): void {
  for (const request of ok) recorder.recordOk(request.latencyMs * 1000, request.bytes ?? 0, request.status ?? 200, request.message ?? '')
  for (const request of fail) recorder.recordFail(request.latencyMs * 1000, request.bytes ?? 0, request.status ?? 500, request.message ?? '')
}
