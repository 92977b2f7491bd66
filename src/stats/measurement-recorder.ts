/** Count, latency and size of one outcome (ok or fail) of one scenario or step. */
import { createRecordingHistogram, encodeHistogram, toRecordableValue } from './histogram.js'
import type { Histogram } from './histogram.js'
import type { SerializedMeasurement } from './types.js'

export class MeasurementRecorder {
  private count = 0
  private totalBytes = 0
  private readonly latencyUs: Histogram = createRecordingHistogram()
  private readonly bytes: Histogram = createRecordingHistogram()
  /**
   * Sizes are recorded in runs: most scenarios return the same size again
   * and again (0, or one fixed body), and one recordValueWithCount per run
   * costs less than a histogram call per request. The run is flushed before
   * anyone reads the histogram, so what is read is exact.
   */
  private runSize = 0
  private runLength = 0

  record(latencyUs: number, sizeBytes: number): void {
    this.count++
    this.latencyUs.recordValue(toRecordableValue(latencyUs))
    const bytes = toRecordableValue(sizeBytes)
    this.totalBytes += bytes // exact: the histogram only knows sizes to 3 significant digits
    if (bytes === this.runSize) {
      this.runLength++
    } else {
      this.flushSizes()
      this.runSize = bytes
      this.runLength = 1
    }
  }

  reset(): void {
    this.count = 0
    this.totalBytes = 0
    this.runLength = 0
    this.latencyUs.reset()
    this.bytes.reset()
  }

  serialize(): SerializedMeasurement {
    this.flushSizes()
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

  private flushSizes(): void {
    if (this.runLength === 0) return
    this.bytes.recordValueWithCount(this.runSize, this.runLength)
    this.runLength = 0
  }
}
