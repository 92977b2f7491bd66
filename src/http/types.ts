import type { IterationContext, ScenarioInitContext } from '../engine/context.js'
import type { ScenarioResponse } from '../engine/response.js'

/** What a request is made in: a handler's (or a step's) context, or an init/clean context. */
export type HttpContext = IterationContext | ScenarioInitContext

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | (string & {})

export type HttpHeaders = Readonly<Record<string, string>>

/** A JSON body: sent with JSON.stringify and `content-type: application/json`. */
export type JsonBody = { readonly [key: string]: unknown } | readonly unknown[]

/** A request body: bytes and strings are sent as they are, objects and arrays as JSON. */
export type HttpBody = string | Uint8Array | JsonBody

/** What `check` and the failure rules see of a response. */
export interface HttpReply {
  readonly statusCode: number
  /** Bytes of the response body as received. */
  readonly sizeBytes: number
  /** Response headers, names in lower case (parsed on first read). */
  readonly headers: Readonly<Record<string, string | string[]>>
  /** The body, when kept (`keepBody`, on by default when there is a `check`); otherwise undefined. */
  readonly body: Buffer | undefined
  /** The kept body as UTF-8 text ('' when not kept). */
  text(): string
  /** The kept body parsed as JSON; throws on a body that is not JSON (in a check, that fails the request). */
  json(): unknown
}

/**
 * Decides whether a response whose status is not an error is ok: `true` is
 * ok, `false` fails it with 'check failed', a string fails it with that
 * message. A check that throws fails the request with the error's message.
 */
export type HttpCheck = (reply: HttpReply) => boolean | string

/** Options a single request can set, over its client's. */
export interface HttpRequestOptions {
  readonly headers?: HttpHeaders
  /** Which status codes count as failures. Default: 400 and above. */
  readonly isError?: (statusCode: number) => boolean
  readonly check?: HttpCheck
  /** Keep the body for `check`. Default: true when there is a check, else false (bytes are counted and dropped). */
  readonly keepBody?: boolean
  /** Redirects to follow. Default 0: a 3xx is the result, recorded with its status code. */
  readonly maxRedirections?: number
  /** Fail with UND_ERR_HEADERS_TIMEOUT when the response headers take longer (undici's default: 300 s). */
  readonly headersTimeoutMs?: number
  /** Fail with UND_ERR_BODY_TIMEOUT when the body stalls longer than this between chunks (undici's default: 300 s). */
  readonly bodyTimeoutMs?: number
}

/** Everything about one request, for `request()`. */
export interface HttpRequest extends HttpRequestOptions {
  readonly url: string | URL
  /** Default GET. */
  readonly method?: HttpMethod
  readonly body?: HttpBody
}

export interface HttpClientOptions extends HttpRequestOptions {
  /** Relative URLs are resolved against it, as `new URL(url, baseUrl)` does. */
  readonly baseUrl?: string
  /**
   * Connections per origin, for each scenario on each node. Default: the
   * scenario's concurrency (its copies in a closed model, its maxConcurrency
   * in an open one); connections are opened as they are needed.
   */
  readonly connections?: number
  /** Requests sent on a connection before earlier ones are answered. Default 1 (no pipelining). */
  readonly pipelining?: number
  /** Fail with UND_ERR_CONNECT_TIMEOUT when connecting takes longer (undici's default: 10 s). */
  readonly connectTimeoutMs?: number
  /** How long an idle connection is kept open (undici's default: 4 s, or what the server says). */
  readonly keepAliveTimeoutMs?: number
}

/**
 * Requests that become a scenario's Response: status code and body bytes
 * filled in, connection errors and timeouts recorded as failures whose
 * status is the error's code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, ...).
 * The promise never rejects for a request that was made; a bad URL or option
 * rejects it (the engine then records an 'exception').
 */
export interface HttpClient {
  get(ctx: HttpContext, url: string | URL, options?: HttpRequestOptions): Promise<ScenarioResponse>
  head(ctx: HttpContext, url: string | URL, options?: HttpRequestOptions): Promise<ScenarioResponse>
  post(ctx: HttpContext, url: string | URL, body?: HttpBody, options?: HttpRequestOptions): Promise<ScenarioResponse>
  put(ctx: HttpContext, url: string | URL, body?: HttpBody, options?: HttpRequestOptions): Promise<ScenarioResponse>
  patch(ctx: HttpContext, url: string | URL, body?: HttpBody, options?: HttpRequestOptions): Promise<ScenarioResponse>
  delete(ctx: HttpContext, url: string | URL, options?: HttpRequestOptions): Promise<ScenarioResponse>
  request(ctx: HttpContext, request: HttpRequest): Promise<ScenarioResponse>
  /** A client with these options over this one's, and connection pools of its own. */
  client(options: HttpClientOptions): HttpClient
}
