/**
 * `loadspec/http`: HTTP requests that are a scenario's Response, on undici
 * connection pools kept per scenario per node.
 *
 *   Scenario.create('get', (ctx) => http.get(ctx, url))
 *   const api = http.client({ baseUrl, connections: 20, check: (res) => res.json() !== null })
 */
import { createHttpClient } from './client.js'
import type { HttpClient } from './types.js'

export { ABORTED_STATUS } from './exchange.js'
export { isClientOrServerError } from './judge.js'
export type {
  HttpBody,
  HttpCheck,
  HttpClient,
  HttpClientOptions,
  HttpContext,
  HttpHeaders,
  HttpMethod,
  HttpReply,
  HttpRequest,
  HttpRequestOptions,
  JsonBody,
} from './types.js'

/** The default client: no base URL, connections sized from each scenario's concurrency. */
export const http: HttpClient = createHttpClient()
