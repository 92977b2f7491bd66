/**
 * Live progress on a terminal while load runs: elapsed / planned time, then
 * per scenario its counts, current rps and p99 so far. Redrawn in place
 * about once a second (as often as the engine reports progress) and wiped
 * when the run ends, so the summary follows on a clean screen.
 */
import type { RunProgress } from '../result/progress.js'
import { buildScenarioStats } from '../stats/build.js'
import type { SerializedScenarioStats } from '../stats/types.js'
import { formatClock, formatCount, formatMs, formatRps } from './format.js'

export interface ProgressStream {
  write(text: string): unknown
  readonly columns?: number
}

const BAR_WIDTH = 20
const CURSOR_UP = (lines: number): string => `\u001b[${lines}A`
const CLEAR_BELOW = '\u001b[J'

export class LiveProgress {
  private drawnLines = 0
  /** Counts at the previous report; at first, the start of load (nothing done at 0 ms). */
  private previous: { readonly elapsedMs: number; readonly counts: ReadonlyMap<string, number> } = { elapsedMs: 0, counts: new Map() }

  constructor(
    private readonly stream: ProgressStream,
    private readonly plannedMs: number | undefined,
  ) {}

  update(progress: RunProgress): void {
    const lines = formatProgress(progress, this.plannedMs, this.currentRps(progress))
    // A pseudo-terminal without a size reports 0 columns: assume 80 then.
    const columns = this.stream.columns !== undefined && this.stream.columns > 0 ? this.stream.columns : 80
    const width = Math.max(20, columns - 1)
    // A wrapped line would break the count of lines to move back over.
    const text = lines.map((line) => (line.length > width ? line.slice(0, width) : line)).join('\n') + '\n'
    this.stream.write(this.wipe() + text)
    this.drawnLines = lines.length
  }

  /** Removes the progress lines. */
  finish(): void {
    if (this.drawnLines > 0) this.stream.write(this.wipe())
    this.drawnLines = 0
  }

  private wipe(): string {
    return this.drawnLines > 0 ? `${CURSOR_UP(this.drawnLines)}\r${CLEAR_BELOW}` : ''
  }

  /** Requests per second since the previous report; the cumulative counts restart after a warm-up. */
  private currentRps(progress: RunProgress): Map<string, number> {
    const counts = new Map(progress.scenarios.map((stats) => [stats.scenarioName, requestCount(stats)]))
    const rates = new Map<string, number>()
    const previous = this.previous
    if (progress.elapsedMs > previous.elapsedMs) {
      const seconds = (progress.elapsedMs - previous.elapsedMs) / 1000
      for (const [name, count] of counts) {
        const before = previous.counts.get(name) ?? 0
        rates.set(name, (count >= before ? count - before : count) / seconds)
      }
    }
    this.previous = { elapsedMs: progress.elapsedMs, counts }
    return rates
  }
}

/** The progress lines, without terminal control codes. */
export function formatProgress(progress: RunProgress, plannedMs: number | undefined, currentRps: ReadonlyMap<string, number>): string[] {
  const elapsed = formatClock(progress.elapsedMs)
  let head = `loadspec ${elapsed} elapsed`
  if (plannedMs !== undefined) {
    const share = Math.min(1, progress.elapsedMs / plannedMs)
    const filled = Math.round(share * BAR_WIDTH)
    head = `loadspec ${elapsed} / ${formatClock(plannedMs)} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${Math.round(share * 100)} %`
  }
  const nameWidth = Math.max(0, ...progress.scenarios.map((stats) => stats.scenarioName.length))
  const rows = progress.scenarios.map((serialized) => {
    const stats = buildScenarioStats(serialized)
    const rps = currentRps.get(stats.scenarioName)
    const p99 = stats.ok.latencyMs.count === 0 ? '-' : `${formatMs(stats.ok.latencyMs.p99)} ms`
    return (
      `  ${stats.scenarioName.padEnd(nameWidth)}  ok ${formatCount(stats.ok.request.count)}  fail ${formatCount(stats.fail.request.count)}` +
      `  ${rps === undefined ? '-' : formatRps(rps)} rps  p99 ${p99}` +
      (stats.droppedIterations > 0 ? `  dropped ${formatCount(stats.droppedIterations)}` : '')
    )
  })
  return [head, ...rows]
}

function requestCount(stats: SerializedScenarioStats): number {
  return stats.ok.count + stats.fail.count
}
