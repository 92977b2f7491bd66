import { describeValue } from './response.js'

/** A handler threw or rejected. */
export const EXCEPTION_STATUS = 'exception'
/** A handler returned something that is neither a Response nor nothing. */
export const INVALID_RESPONSE_STATUS = 'invalid_response'
/** An iteration ran past the scenario's iteration timeout. */
export const TIMEOUT_STATUS = 'timeout'
/** An iteration still running when the graceful stop period ran out. */
export const INTERRUPTED_STATUS = 'interrupted'

/**
 * The message kept for a thrown value. Never throws itself: a handler may
 * throw a Proxy or an object whose getters throw, and the iteration must
 * still be counted once.
 */
export function errorMessage(error: unknown): string {
  try {
    if (error instanceof Error) return String(error.message || error.name)
    if (typeof error === 'string') return error
    return `non-Error thrown: ${JSON.stringify(error) ?? String(error)}`
  } catch {
    try {
      return `non-Error thrown: ${describeValue(error)}`
    } catch {
      return 'non-Error thrown: a value that cannot be described'
    }
  }
}

export function invalidResultMessage(where: string, result: unknown): string {
  return `${where} returned ${describeValue(result)}; return Response.ok(...), Response.fail(...) or nothing`
}
