/**
 * One agent's interims as the coordinator receives them: numbered
 * per-interval deltas (time-series points), each taken once. A number seen
 * before is a replay and is ignored; numbers never seen below the highest
 * are gaps, reported on the result. The sum of the intervals is the agent's
 * figures so far: what live progress shows and what a lost agent leaves.
 */
import { spanStatsByScenario } from '../../stats/span.js'
import type { MeasuredWindow, SerializedScenarioStats } from '../../stats/types.js'
import type { SeriesPoint } from '../../result/result.js'
import { IntervalAssembly } from '../protocol/interval-parts.js'
import type { MessageOf } from '../protocol/messages.js'

/** How long a scenario's intervals add up to, and the span they cover. */
export interface IntervalSpan {
  readonly durationMs: number
  readonly window: MeasuredWindow
}

export type IntervalReceipt = 'added' | 'replay' | 'partial'

export class IntervalLedger {
  /** Every interval received, in arrival order (NATS keeps one sender's order). */
  private points: SeriesPoint[] = []
  /** Received but not yet folded into the session's live totals. */
  private pending: SeriesPoint[] = []
  private readonly seen = new Set<number>()
  private readonly assembly = new IntervalAssembly()
  private readonly spans = new Map<string, IntervalSpan>()
  /** The highest sequence number received; -1 before the first. */
  highestSeq = -1
  replays = 0
  /** Wire bytes of the interims received (every part, replays included). */
  bytes = 0

  /** Takes one interim part; throws (saying why) when a whole point does not parse. */
  add(message: MessageOf<'interim'>, wireBytes = 0): IntervalReceipt {
    this.bytes += wireBytes
    if (this.seen.has(message.seq)) {
      this.replays++
      return 'replay'
    }
    const point = this.assembly.add(message)
    if (point === undefined) return 'partial'
    this.seen.add(point.index)
    this.highestSeq = Math.max(this.highestSeq, point.index)
    this.points.push(point)
    this.pending.push(point)
    for (const stats of point.scenarios) this.spans.set(stats.scenarioName, extendSpan(this.spans.get(stats.scenarioName), stats))
    return 'added'
  }

  get intervalCount(): number {
    return this.seen.size
  }

  /** The intervals received, by index. */
  get receivedPoints(): readonly SeriesPoint[] {
    return [...this.points].sort((a, b) => a.index - b.index)
  }

  /** What a scenario's intervals add up to in time; undefined before its first. */
  span(scenarioName: string): IntervalSpan | undefined {
    return this.spans.get(scenarioName)
  }

  /** Intervals not received: of `expected` (the indexes of the agent's final series) or, without it, below the highest received. */
  missing(expected?: Iterable<number>): number[] {
    const indexes = expected ?? Array.from({ length: this.highestSeq + 1 }, (_, index) => index)
    return [...indexes].filter((index) => !this.seen.has(index))
  }

  /** The intervals received since the last call, handed over once each. */
  takePending(): SeriesPoint[] {
    const taken = this.pending
    this.pending = []
    return taken
  }

  /** Every received interval added up, per scenario. */
  total(): SerializedScenarioStats[] {
    return spanStatsByScenario(this.points)
  }

  /** The final report is in and holds every interval itself: the points are no longer needed. */
  release(): void {
    this.points = []
    this.pending = []
  }
}

export function withSpan(stats: SerializedScenarioStats, span: IntervalSpan): SerializedScenarioStats {
  return { ...stats, durationMs: span.durationMs, window: span.window }
}

function extendSpan(span: IntervalSpan | undefined, stats: SerializedScenarioStats): IntervalSpan {
  if (span === undefined) return { durationMs: stats.durationMs, window: stats.window }
  return {
    durationMs: span.durationMs + stats.durationMs,
    window: {
      startMs: Math.min(span.window.startMs, stats.window.startMs),
      endMs: Math.max(span.window.endMs, stats.window.endMs),
      pausedMs: span.window.pausedMs + stats.window.pausedMs,
    },
  }
}
