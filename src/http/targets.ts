/** Where a request goes: the origin picks the connection pool, the path is what is sent. */
export interface Target {
  readonly origin: string
  readonly path: string
}

/**
 * Most scenarios request a handful of URLs again and again; parsing each
 * once keeps `new URL()` off the per-request path. URLs that differ per
 * request (ids in the path) stop being cached past the cap and are parsed
 * each time, so memory stays bounded.
 */
const MAX_CACHED_TARGETS = 1024

export class Targets {
  private readonly cache = new Map<string, Target>()

  constructor(private readonly baseUrl: URL | undefined) {}

  resolve(url: string | URL): Target {
    if (typeof url !== 'string') return targetOf(url)
    const cached = this.cache.get(url)
    if (cached !== undefined) return cached
    const target = targetOf(this.parse(url))
    if (this.cache.size < MAX_CACHED_TARGETS) this.cache.set(url, target)
    return target
  }

  private parse(url: string): URL {
    try {
      return new URL(url, this.baseUrl)
    } catch {
      const hint = this.baseUrl === undefined ? ' (a relative URL needs the client\'s baseUrl: http.client({ baseUrl }))' : ''
      throw new TypeError(`loadspec/http: cannot parse URL ${JSON.stringify(url)}${hint}`)
    }
  }
}

/** Checks a base URL once, where the client is made. */
export function parseBaseUrl(baseUrl: string | undefined): URL | undefined {
  if (baseUrl === undefined) return undefined
  let parsed: URL
  try {
    parsed = new URL(baseUrl)
  } catch {
    throw new TypeError(`loadspec/http: baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`)
  }
  assertHttp(parsed)
  return parsed
}

function targetOf(url: URL): Target {
  assertHttp(url)
  return { origin: url.origin, path: `${url.pathname}${url.search}` }
}

function assertHttp(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`loadspec/http: only http: and https: URLs are supported, got ${JSON.stringify(url.href)}`)
  }
}
