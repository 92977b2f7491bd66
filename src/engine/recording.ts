import type { StatusCodeInput } from './response.js'

/**
 * The slice of the stats recorder the engine writes to. The engine depends on
 * this, not on how histograms are kept.
 */
export interface StepRecorderLike {
  recordOk(latencyUs: number, sizeBytes: number, statusCode: StatusCodeInput, message: string): void
  recordFail(latencyUs: number, sizeBytes: number, statusCode: StatusCodeInput, message: string): void
}

export interface ScenarioRecorderLike extends StepRecorderLike {
  recordServiceTime(serviceUs: number): void
  recordStartLag(lagUs: number): void
  recordDropped(count?: number): void
  step(stepName: string): StepRecorderLike
}
