/** Count, latency and size of one outcome (ok or fail) of one scenario or step. */
import { createRecordingHistogram, encodeHistogram, toRecordableValue } from './histogram.js'
import type { Histogram } from './histogram.js'
import type { SerializedMeasurement } from './types.js'

export class MeasurementRecorder {
  private count = 0
  private totalBytes = 0
  private readonly latencyUs: Histogram = createRecordingHistogram()
  private readonly bytes: Histogram = createRecordingHistogram()

  record(latencyUs: number, sizeBytes: number): void {
    this.count++
    this.latencyUs.recordValue(toRecordableValue(latencyUs))
    const bytes = toRecordableValue(sizeBytes)
    this.bytes.recordValue(bytes)
    this.totalBytes += bytes // exact: the histogram only knows sizes to 3 significant digits
  }

  reset(): void {
    this.count = 0
    this.totalBytes = 0
    this.latencyUs.reset()
    this.bytes.reset()
  }

  serialize(): SerializedMeasurement {
    return {
      count: this.count,
      latencyUs: encodeHistogram(this.latencyUs),
      bytes: encodeHistogram(this.bytes),
      totalBytes: this.totalBytes,
    }
  }

  /** Frees the WASM memory. Call once; the owner guards against repeats. */
  destroy(): void {
    this.latencyUs.destroy()
    this.bytes.destroy()
  }
}
