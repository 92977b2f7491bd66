/**
 * What a scenario handler (or a step) returns. Branded with a registered
 * symbol rather than checked with `instanceof`, so a Response made by another
 * copy of loadspec (an agent loading scenario modules through Vite's module
 * runner) is still recognised.
 */
const responseBrand: unique symbol = Symbol.for('loadspec.response') as never

export type StatusCodeInput = number | string

export interface ScenarioResponse {
  readonly [responseBrand]: true
  readonly isError: boolean
  readonly statusCode: StatusCodeInput
  readonly sizeBytes: number
  readonly message: string
  /** When set, recorded instead of the measured latency. */
  readonly customLatencyMs: number | undefined
}

/** Status recorded when a handler returns nothing or `Response.ok()` without a code. */
export const DEFAULT_OK_STATUS = 'ok'
/** Status recorded for `Response.fail()` without a code. */
export const DEFAULT_FAIL_STATUS = 'error'

function makeResponse(
  isError: boolean,
  statusCode: StatusCodeInput,
  sizeBytes: number,
  message: string,
  customLatencyMs: number | undefined,
): ScenarioResponse {
  return { [responseBrand]: true, isError, statusCode, sizeBytes, message, customLatencyMs }
}

// Most handlers return a bare `Response.ok()`: one frozen object spares an allocation per iteration.
const BARE_OK = Object.freeze(makeResponse(false, DEFAULT_OK_STATUS, 0, '', undefined))

export const Response = {
  ok(statusCode?: StatusCodeInput, sizeBytes?: number, message?: string, customLatencyMs?: number): ScenarioResponse {
    if (statusCode === undefined && sizeBytes === undefined && message === undefined && customLatencyMs === undefined) {
      return BARE_OK
    }
    return makeResponse(false, statusCode ?? DEFAULT_OK_STATUS, sizeBytes ?? 0, message ?? '', customLatencyMs)
  },
  fail(statusCode?: StatusCodeInput, message?: string, sizeBytes?: number, customLatencyMs?: number): ScenarioResponse {
    return makeResponse(true, statusCode ?? DEFAULT_FAIL_STATUS, sizeBytes ?? 0, message ?? '', customLatencyMs)
  },
}

export function isResponse(value: unknown): value is ScenarioResponse {
  if (typeof value !== 'object' || value === null) return false
  try {
    return (value as Record<symbol, unknown>)[responseBrand] === true
  } catch {
    // A revoked or hostile Proxy: certainly not a Response.
    return false
  }
}

/** The problem with a response's fields, or undefined when it can be recorded as it is. */
export function responseProblem(response: ScenarioResponse): string | undefined {
  const { statusCode, sizeBytes, customLatencyMs } = response
  if (typeof statusCode !== 'number' && typeof statusCode !== 'string') {
    return `statusCode must be a number or a string, got ${describeValue(statusCode)}`
  }
  if (typeof sizeBytes !== 'number' || !Number.isFinite(sizeBytes) || sizeBytes < 0) {
    return `sizeBytes must be a non-negative number, got ${describeValue(sizeBytes)}`
  }
  if (customLatencyMs !== undefined && (typeof customLatencyMs !== 'number' || !Number.isFinite(customLatencyMs) || customLatencyMs < 0)) {
    return `customLatencyMs must be a non-negative number, got ${describeValue(customLatencyMs)}`
  }
  return undefined
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (typeof value === 'function') return 'a function'
  if (Array.isArray(value)) return `an array of ${value.length}`
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name
    return name && name !== 'Object' ? `a ${name}` : 'a plain object'
  }
  return typeof value
}
