import type { HttpClientOptions, HttpRequestOptions } from './types.js'

/** Checked once, where a client is made: every problem at once, each with the value and what was expected. */
export function validateClientOptions(options: HttpClientOptions): void {
  const problems: string[] = []
  if (typeof options === 'object' && options !== null) {
    positiveInteger(problems, 'connections', options.connections)
    positiveInteger(problems, 'pipelining', options.pipelining)
    nonNegativeNumber(problems, 'connectTimeoutMs', options.connectTimeoutMs)
    nonNegativeNumber(problems, 'keepAliveTimeoutMs', options.keepAliveTimeoutMs)
    if (options.baseUrl !== undefined && typeof options.baseUrl !== 'string') problems.push(`baseUrl must be a string, got ${describe(options.baseUrl)}`)
  }
  problems.push(...requestOptionProblems(options))
  throwIfAny(problems, 'http.client(options)')
}

/** Per-request options: the same rules, checked when a request brings its own options. */
export function validateRequestOptions(options: HttpRequestOptions): void {
  throwIfAny(requestOptionProblems(options), 'request options')
}

function requestOptionProblems(options: HttpRequestOptions): string[] {
  const problems: string[] = []
  if (typeof options !== 'object' || options === null) {
    problems.push(`options must be an object, got ${describe(options)}`)
    return problems
  }
  nonNegativeInteger(problems, 'maxRedirections', options.maxRedirections)
  nonNegativeNumber(problems, 'headersTimeoutMs', options.headersTimeoutMs)
  nonNegativeNumber(problems, 'bodyTimeoutMs', options.bodyTimeoutMs)
  if (options.isError !== undefined && typeof options.isError !== 'function') problems.push(`isError must be a function, got ${describe(options.isError)}`)
  if (options.check !== undefined && typeof options.check !== 'function') problems.push(`check must be a function, got ${describe(options.check)}`)
  if (options.headers !== undefined && (typeof options.headers !== 'object' || options.headers === null)) {
    problems.push(`headers must be an object of name: value, got ${describe(options.headers)}`)
  }
  return problems
}

function positiveInteger(problems: string[], name: string, value: unknown): void {
  if (value !== undefined && !(Number.isInteger(value) && (value as number) > 0)) problems.push(`${name} must be a positive integer, got ${describe(value)}`)
}

function nonNegativeInteger(problems: string[], name: string, value: unknown): void {
  if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0)) problems.push(`${name} must be an integer of 0 or more, got ${describe(value)}`)
}

function nonNegativeNumber(problems: string[], name: string, value: unknown): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
    problems.push(`${name} must be a number of milliseconds, 0 or more, got ${describe(value)}`)
  }
}

function throwIfAny(problems: readonly string[], where: string): void {
  if (problems.length === 0) return
  throw new TypeError(`loadspec/http: invalid ${where}: ${problems.join('; ')}`)
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'function') return 'a function'
  if (value === null || typeof value !== 'object') return String(value)
  return Array.isArray(value) ? 'an array' : 'an object'
}
