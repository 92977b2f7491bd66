/**
 * The bare contenders record into the same kind of histogram as loadspec's
 * recorder: the WASM build, with the recorder's own options.
 */
import { createRecordingHistogram, initHistograms, type Histogram } from '../../src/stats/histogram.js'

export async function recordingHistogram(): Promise<Histogram> {
  await initHistograms()
  return createRecordingHistogram()
}

export type { Histogram }
