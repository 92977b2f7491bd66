/** Count, latency and size of one outcome (ok or fail) of one scenario or step. */
import { DistributionRecorder, toExactValue, type Extremes } from './distribution.js'
import type { SerializedMeasurement } from './types.js'

export interface MeasurementExtremes {
  readonly latencyUs: Extremes
  readonly bytes: Extremes
}

export class MeasurementRecorder {
  // Latency also per time-series interval (the points' percentiles); sizes keep scalars only there.
  private readonly latencyUs = new DistributionRecorder({ intervalHistogram: true })
  private readonly bytes = new DistributionRecorder()
  /**
   * Sizes are recorded in runs: most scenarios return the same size again
   * and again (0, or one fixed body), and one recordRun per run costs less
   * than a histogram call per request. The run is flushed before anyone
   * reads the sizes, so what is read is exact.
   */
  private runSize = 0
  private runLength = 0

  record(latencyUs: number, sizeBytes: number): void {
    this.latencyUs.record(toExactValue(latencyUs))
    const bytes = toExactValue(sizeBytes)
    if (bytes === this.runSize) {
      this.runLength++
    } else {
      this.flushSizes()
      this.runSize = bytes
      this.runLength = 1
    }
  }

  reset(): void {
    this.runLength = 0
    this.latencyUs.reset()
    this.bytes.reset()
  }

  serialize(withHistograms = true): SerializedMeasurement {
    this.flushSizes()
    const latencyUs = this.latencyUs.serialize(withHistograms)
    return { count: latencyUs.count, latencyUs, bytes: this.bytes.serialize(withHistograms) }
  }

  /** Min and max since the previous call; call right after serialize() (which flushes the sizes). */
  takeExtremes(): MeasurementExtremes {
    return { latencyUs: this.latencyUs.takeExtremes(), bytes: this.bytes.takeExtremes() }
  }

  /** Frees the WASM memory. Call once; the owner guards against repeats. */
  destroy(): void {
    this.latencyUs.destroy()
    this.bytes.destroy()
  }

  private flushSizes(): void {
    if (this.runLength === 0) return
    this.bytes.recordRun(this.runSize, this.runLength)
    this.runLength = 0
  }
}
