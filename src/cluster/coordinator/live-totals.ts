/**
 * The merged figures of every agent so far, kept up to date from their
 * intervals: each interval is added once, when it arrives, so a progress
 * report costs one merge of the intervals new since the last one (not one
 * merge of every agent's whole stats).
 */
import { mergeScenarioStats } from '../../stats/merge.js'
import type { SerializedScenarioStats } from '../../stats/types.js'
import { statsByScenario } from '../../stats/span.js'
import { withSpan, type IntervalLedger, type IntervalSpan } from './interval-ledger.js'

export class LiveTotals {
  private readonly merged = new Map<string, SerializedScenarioStats>()

  /** Adds what every ledger received since the last fold; returns the totals of every scenario seen. */
  fold(ledgers: readonly IntervalLedger[]): SerializedScenarioStats[] {
    const fresh = statsByScenario(ledgers.flatMap((ledger) => ledger.takePending()))
    for (const [name, deltas] of fresh) {
      const before = this.merged.get(name)
      const sum = mergeScenarioStats(before === undefined ? deltas : [before, ...deltas])
      this.merged.set(name, withSpan(sum, commonSpan(ledgers, name)))
    }
    return [...this.merged.values()]
  }
}

/** Agents run side by side: the window of the whole is the longest of theirs. */
function commonSpan(ledgers: readonly IntervalLedger[], scenarioName: string): IntervalSpan {
  let durationMs = 0
  let startMs = Number.POSITIVE_INFINITY
  let endMs = 0
  let pausedMs = 0
  for (const ledger of ledgers) {
    const span = ledger.span(scenarioName)
    if (span === undefined) continue
    durationMs = Math.max(durationMs, span.durationMs)
    startMs = Math.min(startMs, span.window.startMs)
    endMs = Math.max(endMs, span.window.endMs)
    pausedMs = Math.max(pausedMs, span.window.pausedMs)
  }
  return { durationMs, window: { startMs: Number.isFinite(startMs) ? startMs : 0, endMs, pausedMs } }
}
