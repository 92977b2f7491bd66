/** JSON report: the whole serialized result, histograms included, so `loadspec report` can re-render and merge it exactly. */
import type { SerializedRunResult } from '../result/result.js'

export function renderJson(serialized: SerializedRunResult): string {
  // Indented: people open it to look; histograms are single base64 strings, so it stays compact.
  return JSON.stringify(serialized, null, 2) + '\n'
}
