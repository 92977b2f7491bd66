import { getGlobalDispatcher, interceptors, type Dispatcher } from 'undici'
import type { ScenarioResponse } from '../engine/response.js'
import { iterationServicesOf, type IterationServices, type ScenarioResources } from '../engine/scenario-resources.js'
import { Exchange } from './exchange.js'
import { isClientOrServerError } from './judge.js'
import { validateClientOptions, validateRequestOptions } from './options.js'
import { poolFactory, type ScenarioPools } from './pools.js'
import { parseBaseUrl, Targets } from './targets.js'
import type {
  HttpBody,
  HttpClient,
  HttpClientOptions,
  HttpContext,
  HttpHeaders,
  HttpMethod,
  HttpRequest,
  HttpRequestOptions,
} from './types.js'

const NO_OPTIONS: HttpRequestOptions = Object.freeze({})
const JSON_HEADERS: HttpHeaders = Object.freeze({ 'content-type': 'application/json' })

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  validateClientOptions(options)
  return new UndiciHttpClient(options)
}

/**
 * Requests on undici, pooled per scenario per node. Inside a scenario's
 * iteration the context leads to the scenario's resources, where this
 * client's pools live (sized from the scenario's concurrency, closed when
 * its run ends) and to the iteration's abort. Any other context (init,
 * clean) uses undici's global dispatcher and the context's signal.
 */
class UndiciHttpClient implements HttpClient {
  private readonly targets: Targets
  private readonly createPools: (resources: ScenarioResources) => ScenarioPools
  private readonly isError: (statusCode: number) => boolean

  constructor(private readonly options: HttpClientOptions) {
    this.targets = new Targets(parseBaseUrl(options.baseUrl))
    this.createPools = poolFactory({
      connections: options.connections,
      pipelining: options.pipelining,
      connectTimeoutMs: options.connectTimeoutMs,
      keepAliveTimeoutMs: options.keepAliveTimeoutMs,
    })
    this.isError = options.isError ?? isClientOrServerError
  }

  get(ctx: HttpContext, url: string | URL, options?: HttpRequestOptions): Promise<ScenarioResponse> {
    return this.send(ctx, 'GET', url, undefined, options ?? NO_OPTIONS)
  }

  head(ctx: HttpContext, url: string | URL, options?: HttpRequestOptions): Promise<ScenarioResponse> {
    return this.send(ctx, 'HEAD', url, undefined, options ?? NO_OPTIONS)
  }

  post(ctx: HttpContext, url: string | URL, body?: HttpBody, options?: HttpRequestOptions): Promise<ScenarioResponse> {
    return this.send(ctx, 'POST', url, body, options ?? NO_OPTIONS)
  }

  put(ctx: HttpContext, url: string | URL, body?: HttpBody, options?: HttpRequestOptions): Promise<ScenarioResponse> {
    return this.send(ctx, 'PUT', url, body, options ?? NO_OPTIONS)
  }

  patch(ctx: HttpContext, url: string | URL, body?: HttpBody, options?: HttpRequestOptions): Promise<ScenarioResponse> {
    return this.send(ctx, 'PATCH', url, body, options ?? NO_OPTIONS)
  }

  delete(ctx: HttpContext, url: string | URL, options?: HttpRequestOptions): Promise<ScenarioResponse> {
    return this.send(ctx, 'DELETE', url, undefined, options ?? NO_OPTIONS)
  }

  request(ctx: HttpContext, request: HttpRequest): Promise<ScenarioResponse> {
    return this.send(ctx, request.method ?? 'GET', request.url, request.body, request)
  }

  client(options: HttpClientOptions): HttpClient {
    return createHttpClient({ ...this.options, ...options })
  }

  private send(ctx: HttpContext, method: HttpMethod, url: string | URL, body: HttpBody | undefined, options: HttpRequestOptions): Promise<ScenarioResponse> {
    let exchange: Exchange
    let dispatcher: Dispatcher
    let dispatchOptions: Dispatcher.DispatchOptions & { maxRedirections?: number }
    try {
      if (options !== NO_OPTIONS) validateRequestOptions(options)
      const target = this.targets.resolve(url)
      const clientOptions = this.options
      const check = options.check ?? clientOptions.check
      const services = iterationServicesOf(ctx)
      const maxRedirections = options.maxRedirections ?? clientOptions.maxRedirections ?? 0
      exchange = new Exchange(
        options.isError ?? this.isError,
        check,
        options.keepBody ?? clientOptions.keepBody ?? check !== undefined,
        services,
        services === undefined ? ctx.signal : undefined,
      )
      dispatcher = this.dispatcherFor(services, maxRedirections > 0)
      const json = body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)
      dispatchOptions = {
        origin: target.origin,
        path: target.path,
        method,
        headers: mergeHeaders(clientOptions.headers, options.headers, json),
        body: body === undefined ? null : json ? JSON.stringify(body) : (body as string | Uint8Array),
        headersTimeout: options.headersTimeoutMs ?? clientOptions.headersTimeoutMs ?? null,
        bodyTimeout: options.bodyTimeoutMs ?? clientOptions.bodyTimeoutMs ?? null,
      }
      if (maxRedirections > 0) dispatchOptions.maxRedirections = maxRedirections
    } catch (error) {
      // A bad URL or option is the scenario's bug, not the target's failure: reject, and the engine records an 'exception'.
      return Promise.reject(error instanceof Error ? error : new Error(String(error)))
    }
    const response = new Promise<ScenarioResponse>(captureResolve)
    exchange.resolve = capturedResolve
    if (exchange.watch()) {
      try {
        dispatcher.dispatch(dispatchOptions, exchange)
      } catch (error) {
        // undici reports most problems through onError; an interceptor may still throw.
        exchange.onError(error instanceof Error ? error : new Error(String(error)))
      }
    }
    return response
  }

  private dispatcherFor(services: IterationServices | undefined, followsRedirects: boolean): Dispatcher {
    if (services !== undefined) return services.scenarioResources.use(this, this.createPools).dispatcher(followsRedirects)
    const global = getGlobalDispatcher()
    return followsRedirects ? global.compose(interceptors.redirect()) : global
  }
}

// The promise executor is one function for every request instead of a closure per request; it runs synchronously inside `new Promise`.
let capturedResolve: (response: ScenarioResponse) => void = () => {}
function captureResolve(resolve: (response: ScenarioResponse) => void): void {
  capturedResolve = resolve
}

/**
 * Client headers, then request headers (later win). A JSON body adds its
 * content type unless one is set. No new object unless two sets meet.
 */
function mergeHeaders(clientHeaders: HttpHeaders | undefined, requestHeaders: HttpHeaders | undefined, json: boolean): HttpHeaders | undefined {
  let merged = clientHeaders === undefined ? requestHeaders : requestHeaders === undefined ? clientHeaders : { ...clientHeaders, ...requestHeaders }
  if (json && !hasHeader(merged, 'content-type')) merged = merged === undefined ? JSON_HEADERS : { ...JSON_HEADERS, ...merged }
  return merged
}

function hasHeader(headers: HttpHeaders | undefined, lowerCaseName: string): boolean {
  if (headers === undefined) return false
  for (const name of Object.keys(headers)) if (name.toLowerCase() === lowerCaseName) return true
  return false
}
