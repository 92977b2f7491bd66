import { STATUS_CODES } from 'node:http'
import { errorMessage } from '../engine/outcome.js'
import { Response, type ScenarioResponse } from '../engine/response.js'
import type { HttpCheck, HttpReply } from './types.js'

/** The default failure rule: 4xx and 5xx fail, everything else (3xx included) is ok. */
export function isClientOrServerError(statusCode: number): boolean {
  return statusCode >= 400
}

/**
 * A completed response as the scenario's Response: the status decides
 * first (`isError`), then the check, if any, on what the status let through.
 */
export function judgeReply(reply: HttpReply, isError: (statusCode: number) => boolean, check: HttpCheck | undefined): ScenarioResponse {
  const { statusCode, sizeBytes } = reply
  if (isError(statusCode)) return Response.fail(statusCode, failedStatusMessage(statusCode), sizeBytes)
  if (check === undefined) return Response.ok(statusCode, sizeBytes)
  let verdict: unknown
  try {
    verdict = check(reply)
  } catch (error) {
    return Response.fail(statusCode, `check threw: ${errorMessage(error)}`, sizeBytes)
  }
  if (verdict === true) return Response.ok(statusCode, sizeBytes)
  if (typeof verdict === 'string' && verdict !== '') return Response.fail(statusCode, verdict, sizeBytes)
  return Response.fail(statusCode, verdict === false || verdict === '' ? 'check failed' : `check returned ${String(verdict)}, not true, false or a message`, sizeBytes)
}

// One message per status code, made once: failures are grouped by message, and a hot loop of 500s should not build strings.
const messages = new Map<number, string>()

export function failedStatusMessage(statusCode: number): string {
  let message = messages.get(statusCode)
  if (message === undefined) {
    const reason = STATUS_CODES[statusCode]
    message = reason === undefined ? `HTTP ${statusCode}` : `HTTP ${statusCode} ${reason}`
    if (messages.size < 1000) messages.set(statusCode, message)
  }
  return message
}
