/**
 * What bench/ needs to measure the cluster without reaching into its
 * internals: the size of a final-stats message for a given report, and the
 * merge of many nodes' results (session start latency comes from
 * runCoordinatorSession's `timings`).
 */
import type { SerializedRunResult } from '../result/result.js'
import { mergeRunResults } from '../result/merge.js'
import { MessageEncoder } from './protocol/codec.js'
import { FINAL_ENVELOPE_ALLOWANCE_BYTES, reportToText, splitReportText } from './protocol/final-report.js'
import type { NodeReport } from './protocol/node-report.js'

/** The `final` messages an agent would send for `report`, as encoded bytes. */
export function encodeFinalMessages(report: NodeReport, maxPayloadBytes = 1024 * 1024): Uint8Array[] {
  const encoder = new MessageEncoder({ clusterId: 'bench', agentGroup: 'bench' }, 'bench-agent-0123456789ab')
  const sessionId = '00000000-0000-4000-8000-000000000000'
  const parts = splitReportText(reportToText(report), maxPayloadBytes - FINAL_ENVELOPE_ALLOWANCE_BYTES)
  return parts.map((data, part) => encoder.encode('final', { sessionId, part, parts: parts.length, data }))
}

/** Merges node results as the coordinator does; returns the result and the time taken. */
export function timeMerge(parts: readonly SerializedRunResult[]): { readonly result: SerializedRunResult; readonly elapsedMs: number } {
  const started = performance.now()
  const result = mergeRunResults(parts)
  return { result, elapsedMs: performance.now() - started }
}
