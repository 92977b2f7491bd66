/**
 * `result.window(from, to?)`: the run over a span since load start, built
 * from its merged time series. An interval belongs to the window that holds
 * its midpoint, so the bounds are as fine as the reporting interval (500 ms
 * for plans up to 10 s, 1 s up to 2 min, 5 s beyond) and an interval is
 * never split: its samples are all in or all out.
 */
import { parseDuration } from '../simulations/duration.js'
import type { DurationInput } from '../simulations/types.js'
import { spanStatsByScenario } from '../stats/span.js'
import type { SeriesPoint, SerializedRunResult } from './result.js'

export function windowOfRun(run: SerializedRunResult, from: DurationInput, to?: DurationInput): SerializedRunResult {
  const fromMs = parseDuration(from, 'from', 'result.window')
  const toMs = to === undefined ? Number.POSITIVE_INFINITY : parseDuration(to, 'to', 'result.window')
  if (toMs <= fromMs) throw new RangeError(`result.window(from, to): "to" must come after "from", got ${formatSeconds(fromMs)} and ${formatSeconds(toMs)}`)
  const { points, intervalMs } = run.timeSeries
  const inWindow = points.filter((point) => {
    const midMs = point.startMs + point.durationMs / 2
    return midMs >= fromMs && midMs < toMs
  })
  const first = inWindow[0]
  const last = inWindow[inWindow.length - 1]
  if (first === undefined || last === undefined) throw emptyWindow(points, fromMs, toMs, intervalMs)
  return {
    ...run,
    durationMs: last.startMs + last.durationMs - first.startMs,
    // Report files hold the whole run, not this window.
    reportFiles: [],
    scenarios: spanStatsByScenario(inWindow),
    timeSeries: { intervalMs, points: inWindow },
  }
}

function emptyWindow(points: readonly SeriesPoint[], fromMs: number, toMs: number, intervalMs: number): RangeError {
  const last = points[points.length - 1]
  const span = Number.isFinite(toMs) ? `${formatSeconds(fromMs)} to ${formatSeconds(toMs)}` : `from ${formatSeconds(fromMs)} on`
  const series = last === undefined ? 'the run has no time series' : `its time series covers 0 s to ${formatSeconds(last.startMs + last.durationMs)} in ${intervalMs} ms intervals`
  return new RangeError(
    `result.window(): no interval of the run lies in the window ${span} (an interval counts when its midpoint does); ${series}`,
  )
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}
