import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ABORTED_STATUS, http } from '../../src/http/index.js'
import { Scenario, Simulation, type ScenarioInitContext, type ScenarioResponse } from '../../src/index.js'
import { runLocally } from '../support/run.js'

/** Answers a request: status, body, headers. A route that never calls it leaves the request hanging. */
type Respond = (status: number, body?: string, headers?: Record<string, string>) => void
type Route = (req: IncomingMessage, body: Buffer, respond: Respond) => void

interface Target {
  readonly url: string
  /** `METHOD path` of every request, in arrival order. */
  readonly seen: string[]
  /** Requests whose connection closed before they were answered. */
  readonly abandoned: number
  /** Connections ever accepted, and open right now. */
  readonly connectionsOpened: number
  readonly connectionsOpen: number
  /** Body bytes sent. */
  readonly bytesSent: number
  close(): Promise<void>
}

const targets: Target[] = []
afterEach(async () => {
  await Promise.all(targets.splice(0).map((target) => target.close()))
})

/** A real node:http server on 127.0.0.1 that routes by path and counts what it sees. */
async function startTarget(routes: Record<string, Route>): Promise<Target> {
  const seen: string[] = []
  const sockets = new Set<Socket>()
  let abandoned = 0
  let connectionsOpened = 0
  let bytesSent = 0
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.method} ${req.url}`)
    const respond: Respond = (status, body = '', headers = {}) => {
      const bytes = Buffer.from(body)
      bytesSent += bytes.byteLength
      res.writeHead(status, { 'content-length': String(bytes.byteLength), ...headers })
      res.end(bytes)
    }
    res.on('close', () => {
      if (!res.writableFinished) abandoned++
    })
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const route = routes[(req.url ?? '/').split('?')[0] ?? '/']
      if (route === undefined) respond(404, 'no route')
      else route(req, Buffer.concat(chunks), respond)
    })
  })
  server.on('connection', (socket: Socket) => {
    connectionsOpened++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const target: Target = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    get abandoned() {
      return abandoned
    },
    get connectionsOpened() {
      return connectionsOpened
    },
    get connectionsOpen() {
      return sockets.size
    },
    get bytesSent() {
      return bytesSent
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  targets.push(target)
  return target
}

function reply(status: number, body: string, headers: Record<string, string> = {}): Route {
  return (_req, _body, respond) => respond(status, body, headers)
}

function replyAfter(delayMs: number, status: number, body: string): Route {
  return (_req, _body, respond) => setTimeout(() => respond(status, body), delayMs)
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100 && !condition(); attempt++) await new Promise((resolve) => setTimeout(resolve, 20))
  if (!condition()) throw new Error(`still not true after 2 s: ${what}`)
}

describe('loadspec/http: one-line scenarios against a real server', () => {
  it('records status codes and body bytes as the server sent them', async () => {
    const target = await startTarget({ '/ok': reply(200, 'hello'), '/missing': reply(404, 'nope'), '/boom': reply(500, 'boom!!') })
    const paths = ['/ok', '/missing', '/boom']
    const scenario = Scenario.create('mixed', (ctx) => http.get(ctx, `${target.url}${paths[ctx.invocationNumber % 3]}`)).withLoadSimulations(
      Simulation.iterationsForConstant(3, 300),
    )
    const stats = (await runLocally(scenario)).getScenarioStats('mixed')
    expect(stats.ok.request.count).toBe(100)
    expect(stats.fail.request.count).toBe(200)
    expect(stats.statusCodes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ statusCode: '200', isError: false, count: 100 }),
        expect.objectContaining({ statusCode: '404', isError: true, count: 100 }),
        expect.objectContaining({ statusCode: '500', isError: true, count: 100 }),
      ]),
    )
    expect(stats.errors).toEqual(
      expect.arrayContaining([
        { statusCode: '404', message: 'HTTP 404 Not Found', count: 100 },
        { statusCode: '500', message: 'HTTP 500 Internal Server Error', count: 100 },
      ]),
    )
    expect(stats.ok.dataTransferBytes.total).toBe(500)
    expect(stats.ok.dataTransferBytes.total + stats.fail.dataTransferBytes.total).toBe(target.bytesSent)
    expect(target.seen).toHaveLength(300)
  })

  it('works in open models too', async () => {
    const target = await startTarget({ '/': reply(204, '') })
    const scenario = Scenario.create('open', (ctx) => http.get(ctx, `${target.url}/`)).withLoadSimulations(Simulation.iterationsForInject(200, 1, 60))
    const stats = (await runLocally(scenario)).getScenarioStats('open')
    expect(stats.statusCodes).toEqual([expect.objectContaining({ statusCode: '204', count: 60 })])
  })

  it('fails a refused connection with ECONNREFUSED as its status', async () => {
    const url = `http://127.0.0.1:${await freePort()}/`
    const scenario = Scenario.create('down', (ctx) => http.get(ctx, url)).withLoadSimulations(Simulation.iterationsForConstant(1, 5))
    const stats = (await runLocally(scenario)).getScenarioStats('down')
    expect(stats.fail.request.count).toBe(5)
    expect(stats.statusCodes).toEqual([expect.objectContaining({ statusCode: 'ECONNREFUSED', isError: true, count: 5 })])
    expect(stats.errors[0]?.message).toContain('ECONNREFUSED')
  })

  it('cancels the request when the iteration times out (ctx.signal), and carries on', async () => {
    const target = await startTarget({ '/slow': () => {}, '/fast': reply(200, 'ok') })
    const scenario = Scenario.create('slow', (ctx) => http.get(ctx, `${target.url}${ctx.invocationNumber <= 2 ? '/slow' : '/fast'}`))
      .withIterationTimeout('200ms')
      .withLoadSimulations(Simulation.iterationsForConstant(1, 4))
    const stats = (await runLocally(scenario)).getScenarioStats('slow')
    expect(stats.statusCodes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ statusCode: 'timeout', count: 2 }),
        expect.objectContaining({ statusCode: '200', count: 2 }),
      ]),
    )
    // The server saw both slow requests go away unanswered: the helper closed them, it did not leave them hanging.
    await eventually(() => target.abandoned === 2, 'the server saw the two timed-out requests closed')
  })

  it('answers at once with "aborted" when a context signal aborts, and closes the request', async () => {
    const target = await startTarget({ '/slow': () => {} })
    const controller = new AbortController()
    const ctx = { signal: controller.signal } as ScenarioInitContext
    const pending = http.get(ctx, `${target.url}/slow`)
    await eventually(() => target.seen.length === 1, 'the request reached the server')
    controller.abort(new Error('test is over'))
    const response = await pending
    expect(response).toMatchObject({ isError: true, statusCode: ABORTED_STATUS })
    expect(response.message).toContain('test is over')
    await eventually(() => target.abandoned === 1, 'the server saw the request closed')
  })

  it('fails a response slower than headersTimeoutMs with UND_ERR_HEADERS_TIMEOUT', async () => {
    const target = await startTarget({ '/slow': () => {} })
    const scenario = Scenario.create('headers', (ctx) => http.get(ctx, `${target.url}/slow`, { headersTimeoutMs: 100 })).withLoadSimulations(
      Simulation.iterationsForConstant(1, 2),
    )
    const stats = (await runLocally(scenario)).getScenarioStats('headers')
    expect(stats.statusCodes).toEqual([expect.objectContaining({ statusCode: 'UND_ERR_HEADERS_TIMEOUT', count: 2 })])
  })

  it('does not follow redirects unless asked', async () => {
    const target = await startTarget({ '/old': reply(302, 'moved', { location: '/new' }), '/new': reply(200, 'new!') })
    const responses: ScenarioResponse[] = []
    const scenario = Scenario.create('redirect', async (ctx) => {
      const response = await (ctx.invocationNumber === 1 ? http.get(ctx, `${target.url}/old`) : http.get(ctx, `${target.url}/old`, { maxRedirections: 1 }))
      responses.push(response)
      return response
    }).withLoadSimulations(Simulation.iterationsForConstant(1, 2))
    await runLocally(scenario)
    expect(responses[0]).toMatchObject({ isError: false, statusCode: 302, sizeBytes: 5 })
    expect(responses[1]).toMatchObject({ isError: false, statusCode: 200, sizeBytes: 4 })
    expect(target.seen).toEqual(['GET /old', 'GET /old', 'GET /new'])
  })

  it('sends request bodies: text, bytes and JSON, with every method', async () => {
    const received: { method: string; contentType: string | undefined; body: string }[] = []
    const target = await startTarget({
      '/echo': (req, body, respond) => {
        received.push({ method: req.method ?? '', contentType: req.headers['content-type'], body: body.toString() })
        respond(201)
      },
    })
    const url = `${target.url}/echo`
    const scenario = Scenario.create('bodies', async (ctx) => {
      await http.post(ctx, url, 'plain text', { headers: { 'content-type': 'text/plain' } })
      await http.put(ctx, url, new TextEncoder().encode('bytes'))
      await http.patch(ctx, url, { name: 'loadspec', tags: ['a'] })
      await http.delete(ctx, url)
      return http.request(ctx, { method: 'POST', url, body: [1, 2], headers: { 'Content-Type': 'application/vnd.custom+json' } })
    }).withLoadSimulations(Simulation.iterationsForConstant(1, 1))
    const stats = (await runLocally(scenario)).getScenarioStats('bodies')
    expect(stats.statusCodes).toEqual([expect.objectContaining({ statusCode: '201', count: 1 })])
    expect(received).toEqual([
      { method: 'POST', contentType: 'text/plain', body: 'plain text' },
      { method: 'PUT', contentType: undefined, body: 'bytes' },
      { method: 'PATCH', contentType: 'application/json', body: '{"name":"loadspec","tags":["a"]}' },
      { method: 'DELETE', contentType: undefined, body: '' },
      { method: 'POST', contentType: 'application/vnd.custom+json', body: '[1,2]' },
    ])
  })

  it('lets check() fail a response the status let through, reading its body and headers', async () => {
    const target = await startTarget({
      '/good': reply(200, '{"ok":true}', { 'x-kind': 'good' }),
      '/bad': reply(200, '{"ok":false}'),
      '/garbage': reply(200, 'not json'),
      '/error': reply(503, '{"ok":true}'),
    })
    const api = http.client({
      baseUrl: target.url,
      check: (res) => ((res.json() as { ok: boolean }).ok && res.headers['x-kind'] === 'good') || 'ok was false',
    })
    const paths = ['/good', '/bad', '/garbage', '/error']
    const scenario = Scenario.create('checked', (ctx) => api.get(ctx, paths[(ctx.invocationNumber - 1) % 4] as string)).withLoadSimulations(
      Simulation.iterationsForConstant(1, 8),
    )
    const stats = (await runLocally(scenario)).getScenarioStats('checked')
    expect(stats.ok.request.count).toBe(2)
    expect(stats.errors).toEqual(
      expect.arrayContaining([
        { statusCode: '200', message: 'ok was false', count: 2 },
        { statusCode: '200', message: expect.stringMatching(/^check threw: .*JSON/), count: 2 },
        // The status decides first: the check never saw the 503.
        { statusCode: '503', message: 'HTTP 503 Service Unavailable', count: 2 },
      ]),
    )
  })

  it('lets isError decide which statuses fail', async () => {
    const target = await startTarget({ '/missing': reply(404, 'gone') })
    const scenario = Scenario.create('lenient', (ctx) => http.get(ctx, `${target.url}/missing`, { isError: (status) => status >= 500 })).withLoadSimulations(
      Simulation.iterationsForConstant(1, 3),
    )
    const stats = (await runLocally(scenario)).getScenarioStats('lenient')
    expect(stats.ok.request.count).toBe(3)
    expect(stats.statusCodes).toEqual([expect.objectContaining({ statusCode: '404', isError: false, count: 3 })])
  })

  it('records a bad URL as the scenario exception it is', async () => {
    const scenario = Scenario.create('typo', (ctx) => http.get(ctx, 'not a url')).withLoadSimulations(Simulation.iterationsForConstant(1, 2))
    const stats = (await runLocally(scenario)).getScenarioStats('typo')
    expect(stats.errors).toEqual([{ statusCode: 'exception', message: expect.stringContaining('cannot parse URL "not a url"'), count: 2 }])
  })

  it('works from init and clean, whose context is not an iteration', async () => {
    const target = await startTarget({ '/seed': reply(200, 'seeded'), '/': reply(200, '') })
    const fromHooks: ScenarioResponse[] = []
    const scenario = Scenario.create('hooks', (ctx) => http.get(ctx, `${target.url}/`))
      .withInit(async (ctx) => {
        fromHooks.push(await http.post(ctx, `${target.url}/seed`, { rows: 3 }))
      })
      .withClean(async (ctx) => {
        fromHooks.push(await http.get(ctx, `${target.url}/seed`))
      })
      .withLoadSimulations(Simulation.iterationsForConstant(1, 1))
    await runLocally(scenario)
    expect(fromHooks).toEqual([expect.objectContaining({ statusCode: 200, sizeBytes: 6 }), expect.objectContaining({ statusCode: 200, sizeBytes: 6 })])
  })
})

describe('loadspec/http: connection pools', () => {
  it('opens no more connections than the scenario has copies, keeps them from warm-up to measurement, and closes them at the end', async () => {
    const target = await startTarget({ '/': replyAfter(2, 200, 'x') })
    const scenario = Scenario.create('pooled', (ctx) => http.get(ctx, `${target.url}/`))
      .withWarmUpDuration('200ms')
      .withLoadSimulations(Simulation.keepConstant(4, '300ms'))
    const stats = (await runLocally(scenario)).getScenarioStats('pooled')
    expect(stats.ok.request.count).toBeGreaterThan(4)
    expect(target.connectionsOpened).toBeLessThanOrEqual(4)
    await eventually(() => target.connectionsOpen === 0, 'every connection was closed after the run')
  })

  it('uses the connections a client asks for, whatever the copies', async () => {
    const target = await startTarget({ '/': replyAfter(2, 200, 'x') })
    const narrow = http.client({ connections: 2 })
    const scenario = Scenario.create('narrow', (ctx) => narrow.get(ctx, `${target.url}/`)).withLoadSimulations(Simulation.keepConstant(6, '300ms'))
    const stats = (await runLocally(scenario)).getScenarioStats('narrow')
    expect(stats.fail.request.count).toBe(0)
    expect(target.connectionsOpened).toBe(2)
    await eventually(() => target.connectionsOpen === 0, 'every connection was closed after the run')
  })

  it('gives each scenario its own pools, each closed when the run ends', async () => {
    const target = await startTarget({ '/': reply(200, 'x') })
    const one = Scenario.create('one', (ctx) => http.get(ctx, `${target.url}/`)).withLoadSimulations(Simulation.iterationsForConstant(2, 50))
    const two = Scenario.create('two', (ctx) => http.get(ctx, `${target.url}/`)).withLoadSimulations(Simulation.iterationsForConstant(3, 50))
    await runLocally(one, two)
    expect(target.connectionsOpened).toBeLessThanOrEqual(5)
    await eventually(() => target.connectionsOpen === 0, 'every connection was closed after the run')
  })
})

describe('loadspec/http: options', () => {
  it('rejects bad client options, naming every problem', () => {
    expect(() => http.client({ connections: 0, headersTimeoutMs: -1, baseUrl: 'ftp://example.com' })).toThrow(
      /connections must be a positive integer, got 0; headersTimeoutMs must be a number of milliseconds, 0 or more, got -1/,
    )
    expect(() => http.client({ baseUrl: 'ftp://example.com' })).toThrow('only http: and https: URLs are supported, got "ftp://example.com/"')
    expect(() => http.client({ pipelining: 1.5 })).toThrow('pipelining must be a positive integer, got 1.5')
  })

  it('rejects bad request options as an exception of the iteration', async () => {
    const scenario = Scenario.create('bad-option', (ctx) => http.get(ctx, 'http://127.0.0.1:1/', { maxRedirections: -1 })).withLoadSimulations(
      Simulation.iterationsForConstant(1, 1),
    )
    const stats = (await runLocally(scenario)).getScenarioStats('bad-option')
    expect(stats.errors).toEqual([{ statusCode: 'exception', message: expect.stringContaining('maxRedirections must be an integer of 0 or more, got -1'), count: 1 }])
  })
})
