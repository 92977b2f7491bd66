/**
 * HDR histograms as loadspec uses them: WASM for recording (fast, but lives
 * outside the JS heap and must be destroy()ed), the JS build for everything
 * decoded from the wire (garbage-collected, nothing to free).
 */
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, initWebAssembly } from 'hdr-histogram-js'
import type { Histogram, JsHistogram } from 'hdr-histogram-js'

export type { Histogram, JsHistogram }

/**
 * Largest value a histogram records; larger values are clamped to it, and
 * negative or NaN values are recorded as 0 (a clock that steps backwards must
 * not crash a run). 1e12 µs is 11.6 days, 1e12 bytes is 1 TB: nothing real
 * is clamped, and the clamp keeps every value a safe integer.
 */
export const MAX_RECORDABLE_VALUE = 1e12

/** Compressed base64 of a histogram that recorded nothing (what encodeHistogram gives for any empty one). */
export const EMPTY_HISTOGRAM = 'HISTFAAAABp4nJNpmSzMwMDACMXMDBDACKWZ4HwAMzIBUA=='

/**
 * autoResize instead of a fixed highestTrackableValue: a histogram grows to
 * cover the largest value it has actually seen, so a 5 ms scenario holds
 * ~34 KB per histogram where a fixed 1-hour range (3.6e9 µs) would allocate
 * ~190 KB up front, and a request that hangs longer than any guess is still
 * recorded instead of throwing on the hot path. 64-bit counts: a constant
 * response size puts every sample into one bucket, and 32-bit counts would
 * overflow after 2^31 samples (6 h at 100k rps).
 */
const HISTOGRAM_OPTIONS = {
  bitBucketSize: 64,
  autoResize: true,
  lowestDiscernibleValue: 1,
  numberOfSignificantValueDigits: 3,
} as const

let wasmInit: Promise<void> | undefined
let wasmReady = false

/** Loads the WASM histogram code. Await once before creating any recorder; later calls return the same promise. */
export function initHistograms(): Promise<void> {
  wasmInit ??= initWebAssembly().then(
    () => {
      wasmReady = true
    },
    (error: unknown) => {
      wasmInit = undefined // let a later call retry
      throw new Error(`loadspec could not load the WebAssembly HDR histogram: ${String(error)}`, { cause: error })
    },
  )
  return wasmInit
}

export function histogramsReady(): boolean {
  return wasmReady
}

/**
 * A WASM histogram for the hot path. The caller owns it and must destroy() it.
 */
export function createRecordingHistogram(): Histogram {
  if (!wasmReady) {
    throw new Error('loadspec histograms are not initialized: await initHistograms() once before creating a recorder')
  }
  return build({ ...HISTOGRAM_OPTIONS, useWebAssembly: true })
}

/** An empty JS histogram (an accumulator for merges); nothing to free. */
export function createHistogram(): JsHistogram {
  // build() without useWebAssembly always returns a JsHistogram subclass.
  return build(HISTOGRAM_OPTIONS) as JsHistogram
}

/** Maps any number onto what a histogram can record: an integer in [0, MAX_RECORDABLE_VALUE]. */
export function toRecordableValue(value: number): number {
  // `value > 0` is false for NaN too; Infinity falls into the clamp.
  return value > 0 ? (value < MAX_RECORDABLE_VALUE ? Math.round(value) : MAX_RECORDABLE_VALUE) : 0
}

export function encodeHistogram(histogram: Histogram): string {
  // One canonical string for "nothing recorded", whatever range the histogram had grown to.
  return histogram.totalCount === 0 ? EMPTY_HISTOGRAM : encodeIntoCompressedBase64(histogram)
}

/** Decodes into a JS histogram (garbage-collected, no destroy needed) that can grow when others are added to it. */
export function decodeHistogram(encoded: string, what = 'histogram'): JsHistogram {
  let histogram: JsHistogram
  try {
    // 64: decode into float64 counts, whatever word size the sender used.
    histogram = decodeFromCompressedBase64(encoded, 64, false) as JsHistogram
  } catch (error) {
    throw new Error(
      `Cannot decode ${what}: ${error instanceof Error ? error.message : String(error)}. ` +
        'Expected an HDR histogram in compressed base64, as produced by encodeHistogram().',
      { cause: error },
    )
  }
  histogram.autoResize = true
  return histogram
}
