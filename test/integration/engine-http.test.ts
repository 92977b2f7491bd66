import { request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { Response, Scenario, Simulation, Step } from '../../src/index.js'
import { startHttpTarget, type HttpTarget } from '../support/http-target.js'
import { runLocally } from '../support/run.js'

let target: HttpTarget | undefined
afterEach(async () => {
  await target?.close()
  target = undefined
})

async function get(url: string, signal: AbortSignal) {
  const res = await request(url, { signal })
  const body = await res.body.arrayBuffer()
  return res.statusCode < 400 ? Response.ok(res.statusCode, body.byteLength) : Response.fail(res.statusCode, `HTTP ${res.statusCode}`, body.byteLength)
}

describe('single node against a real HTTP server', () => {
  it('iterationsForConstant(4, 1000) runs exactly 1000 requests, 4 at a time', async () => {
    const server = (target = await startHttpTarget(() => ({ status: 200, body: 'ok', delayMs: 1 })))
    const scenario = Scenario.create('get', (ctx) => get(server.url, ctx.signal)).withLoadSimulations(Simulation.iterationsForConstant(4, 1000))
    const stats = (await runLocally(scenario)).getScenarioStats('get')
    expect(stats.ok.request.count).toBe(1000)
    expect(stats.fail.request.count).toBe(0)
    expect(server.requestCount).toBe(1000)
    expect(server.maxInFlight).toBe(4)
  })

  it('counts 500s exactly, as failures, and adds up the bytes the server sent', async () => {
    const server = (target = await startHttpTarget((n) => (n % 10 === 0 ? { status: 500, body: 'boom' } : { status: 200, body: 'x'.repeat(n % 7 === 0 ? 300 : 120) })))
    const scenario = Scenario.create('mixed', (ctx) => get(server.url, ctx.signal)).withLoadSimulations(Simulation.iterationsForConstant(5, 500))
    const stats = (await runLocally(scenario)).getScenarioStats('mixed')
    const code500 = stats.statusCodes.find((code) => code.statusCode === '500')
    expect(code500).toMatchObject({ count: 50, isError: true, percent: 10 })
    expect(stats.fail.request.count).toBe(50)
    expect(stats.ok.request.count).toBe(450)
    expect(stats.errors).toEqual([{ statusCode: '500', message: 'HTTP 500', count: 50 }])
    expect(stats.ok.dataTransferBytes.total + stats.fail.dataTransferBytes.total).toBe(server.bytesSent)
  })

  it('keepConstant holds the number of copies the simulation asks for', async () => {
    const server = (target = await startHttpTarget(() => ({ status: 200, body: 'ok', delayMs: 20 })))
    const scenario = Scenario.create('steady', (ctx) => get(server.url, ctx.signal)).withLoadSimulations(Simulation.keepConstant(8, '1s'))
    const result = await runLocally(scenario)
    const stats = result.getScenarioStats('steady')
    expect(server.maxInFlight).toBe(8)
    // 8 copies * ~1000 ms / ~20+ ms per request: bounded above by the copies, whatever the machine's speed.
    expect(stats.ok.request.count).toBeGreaterThan(40)
    expect(stats.ok.request.count).toBeLessThanOrEqual(8 * 50 + 8)
    expect(stats.ok.latencyMs.p50).toBeGreaterThanOrEqual(19)
    expect(stats.durationMs).toBeGreaterThanOrEqual(1000)
  })

  it('times steps separately and fails the iteration when a step fails', async () => {
    const server = (target = await startHttpTarget((n, req) => (req.url === '/pay' && n % 4 === 0 ? { status: 402, body: 'no' } : { status: 200, body: 'ok' })))
    const scenario = Scenario.create('shop', async (ctx) => {
      await Step.run('browse', ctx, () => get(`${server.url}/browse`, ctx.signal))
      await Step.run('pay', ctx, () => get(`${server.url}/pay`, ctx.signal))
      return Response.ok(200)
    }).withLoadSimulations(Simulation.iterationsForConstant(1, 100))
    const result = await runLocally(scenario)
    const browse = result.getStepStats('shop', 'browse')
    const pay = result.getStepStats('shop', 'pay')
    expect(browse.ok.request.count).toBe(100)
    expect(pay.ok.request.count + pay.fail.request.count).toBe(100)
    expect(pay.fail.request.count).toBe(50)
    const shop = result.getScenarioStats('shop')
    expect(shop.fail.request.count).toBe(50)
    expect(shop.statusCodes.find((code) => code.statusCode === '402')?.count).toBe(50)
  })
})
