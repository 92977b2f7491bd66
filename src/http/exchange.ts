import { errorMessage } from '../engine/outcome.js'
import { Response, type ScenarioResponse } from '../engine/response.js'
import type { Abortable, IterationServices } from '../engine/scenario-resources.js'
import { judgeReply } from './judge.js'
import type { HttpCheck, HttpReply } from './types.js'

/** Status of a request cancelled because its iteration (or the context's signal) was aborted. */
export const ABORTED_STATUS = 'aborted'

/**
 * One request in flight: undici's dispatch handler, the reply a check reads,
 * and what an aborted iteration cancels — one object per request.
 *
 * It implements undici's callback handler (onConnect/onHeaders/onData/
 * onComplete/onError), which undici's core calls directly, as its own
 * `request()` does. The controller-style handler goes through an adapter
 * that parses every response's headers into an object: measured here, it
 * cost ~8 % more CPU per request (median of 8 paired runs). Should undici
 * drop the callbacks, this class is the one place to change.
 */
export class Exchange implements HttpReply, Abortable {
  statusCode = 0
  sizeBytes = 0
  /** Set by the caller right after construction (see captureResolve in client.ts). */
  resolve: (response: ScenarioResponse) => void = noResolve
  private rawHeaders: Buffer[] | undefined
  private parsedHeaders: Record<string, string | string[]> | undefined
  private readonly chunks: Buffer[] | undefined
  private keptBody: Buffer | undefined
  private abortRequest: ((error: Error) => void) | undefined
  private abortError: Error | undefined
  private done = false

  constructor(
    private readonly isError: (statusCode: number) => boolean,
    private readonly check: HttpCheck | undefined,
    keepBody: boolean,
    private readonly services: IterationServices | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.chunks = keepBody ? [] : undefined
  }

  /** Starts listening for the iteration's abort; false when it is aborted already (then the exchange is settled). */
  watch(): boolean {
    if (this.services !== undefined) this.services.watchAbort(this)
    else if (this.signal !== undefined) {
      if (this.signal.aborted) this.abort(this.signal.reason)
      else this.signal.addEventListener('abort', this)
    }
    return !this.done
  }

  // --- undici's dispatch handler ---

  onConnect(abort: (error: Error) => void): void {
    if (this.abortError !== undefined) abort(this.abortError)
    else this.abortRequest = abort
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    // 1xx responses are informational: the final status comes later.
    if (statusCode >= 200) {
      this.statusCode = statusCode
      this.rawHeaders = rawHeaders
    }
    return true
  }

  onData(chunk: Buffer): boolean {
    this.sizeBytes += chunk.length
    this.chunks?.push(chunk)
    return true
  }

  onComplete(): void {
    this.settle(judgeReply(this, this.isError, this.check))
  }

  onError(error: Error): void {
    this.settle(Response.fail(errorStatus(error), errorMessage(error), this.sizeBytes))
  }

  // --- cancellation: the iteration's abort (services) or the context's signal (EventListener) ---

  abort(reason: unknown): void {
    if (this.done || this.abortError !== undefined) return
    const error = reason instanceof Error ? reason : new Error(`request aborted: ${errorMessage(reason)}`)
    this.abortError = error
    // Answer first (undici reports the abort through onError at once, which would answer with the error's code),
    // and at once: a request still queued for a connection would otherwise hold its caller until one frees up.
    this.settle(Response.fail(ABORTED_STATUS, `request aborted: ${errorMessage(reason)}`, this.sizeBytes))
    this.abortRequest?.(error)
  }

  handleEvent(): void {
    this.abort(this.signal?.reason)
  }

  // --- HttpReply, for checks ---

  get headers(): Readonly<Record<string, string | string[]>> {
    return (this.parsedHeaders ??= parseRawHeaders(this.rawHeaders))
  }

  get body(): Buffer | undefined {
    if (this.chunks === undefined) return undefined
    return (this.keptBody ??= this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks))
  }

  text(): string {
    return this.body?.toString('utf8') ?? ''
  }

  json(): unknown {
    return JSON.parse(this.text())
  }

  private settle(response: ScenarioResponse): void {
    if (this.done) return
    this.done = true
    if (this.services !== undefined) this.services.unwatchAbort(this)
    else this.signal?.removeEventListener('abort', this)
    this.resolve(response)
  }
}

/** The status a connection-level failure is counted under: its code (ECONNREFUSED, UND_ERR_SOCKET, ...). */
export function errorStatus(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown }
    if (typeof code === 'string' && code !== '') return code
    // Connecting to a name with several addresses fails with one error per address.
    const first = (error as { errors?: unknown }).errors
    if (Array.isArray(first) && first.length > 0) return errorStatus(first[0])
    if (typeof name === 'string' && name !== '' && name !== 'Error') return name
  }
  return 'http_error'
}

function parseRawHeaders(raw: readonly Buffer[] | undefined): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {}
  if (raw === undefined) return headers
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = (raw[index] as Buffer).toString('latin1').toLowerCase()
    const value = (raw[index + 1] as Buffer).toString('latin1')
    const seen = headers[name]
    if (seen === undefined) headers[name] = value
    else if (Array.isArray(seen)) seen.push(value)
    else headers[name] = [seen, value]
  }
  return headers
}

function noResolve(): void {
  throw new Error('loadspec/http: an exchange settled before its promise existed')
}
