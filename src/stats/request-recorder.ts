/**
 * What scenarios and steps record alike: ok and fail measurements, status
 * codes, and error groups. Everything a record call touches exists already,
 * so recording allocates nothing except the first time a status code or an
 * error message is seen.
 */
import { ErrorGroupCounter } from './error-groups.js'
import { MeasurementRecorder, type MeasurementExtremes } from './measurement-recorder.js'
import type { RawStatusCode } from './status-codes.js'
import { StatusCodeCounter } from './status-codes.js'
import type { SerializedCommonStats, SerializedStepStats } from './types.js'

/** Min and max of an interval, per outcome (see DistributionRecorder.takeExtremes). */
export interface CommonExtremes {
  readonly ok: MeasurementExtremes
  readonly fail: MeasurementExtremes
}

export class RequestRecorder {
  private readonly ok = new MeasurementRecorder()
  private readonly fail = new MeasurementRecorder()
  private readonly okStatusCodes = new StatusCodeCounter(false)
  private readonly failStatusCodes = new StatusCodeCounter(true)
  private readonly errors = new ErrorGroupCounter()
  private destroyed = false

  recordOk(latencyUs: number, sizeBytes: number, statusCode: RawStatusCode, message: string): void {
    this.ok.record(latencyUs, sizeBytes)
    this.okStatusCodes.record(statusCode, message)
  }

  recordFail(latencyUs: number, sizeBytes: number, statusCode: RawStatusCode, message: string): void {
    this.fail.record(latencyUs, sizeBytes)
    this.failStatusCodes.record(statusCode, message)
    this.errors.record(statusCode, message)
  }

  /** Discards everything recorded so far (the end of a warm-up). */
  reset(): void {
    this.assertUsable('reset')
    this.ok.reset()
    this.fail.reset()
    this.okStatusCodes.reset()
    this.failStatusCodes.reset()
    this.errors.reset()
  }

  /** Frees every WASM histogram. Safe to call more than once. */
  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.ok.destroy()
    this.fail.destroy()
  }

  /** Min and max since the previous call; call right after serializing. */
  takeExtremes(): CommonExtremes {
    return { ok: this.ok.takeExtremes(), fail: this.fail.takeExtremes() }
  }

  protected serializeCommon(withHistograms = true): SerializedCommonStats {
    return {
      ok: this.ok.serialize(withHistograms),
      fail: this.fail.serialize(withHistograms),
      statusCodes: [...this.okStatusCodes.serialize(), ...this.failStatusCodes.serialize()],
      errors: this.errors.serialize(),
    }
  }

  protected assertUsable(operation: string): void {
    if (this.destroyed) throw new Error(`Cannot ${operation} ${this.describe()}: it was destroyed`)
  }

  protected describe(): string {
    return 'a recorder'
  }
}

/** Records one named step of a scenario; get it from ScenarioRecorder.step(name). */
export class StepRecorder extends RequestRecorder {
  constructor(readonly stepName: string) {
    super()
  }

  serialize(withHistograms = true): SerializedStepStats {
    this.assertUsable('serialize')
    return { stepName: this.stepName, ...this.serializeCommon(withHistograms) }
  }

  protected override describe(): string {
    return `the recorder of step '${this.stepName}'`
  }
}
