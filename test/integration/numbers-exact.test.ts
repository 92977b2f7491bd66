/**
 * What "exact" means (docs/numbers.md): counts, totals, min, max, mean and
 * stdDev come from scalars kept beside each histogram; percentiles from the
 * histogram, held inside [min, max]. Open models time every iteration that
 * started, whatever its outcome; a step's result is checked like a handler's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { http } from '../../src/http/index.js'
import { Response, Scenario, Simulation, Step, type IterationContext, type ScenarioHandler, type ScenarioResponse } from '../../src/index.js'
import { startHttpTarget, type HttpTarget } from '../support/http-target.js'
import { runLocally } from '../support/run.js'

describe('open models time every iteration that started', () => {
  const hangUntilAborted = (ctx: IterationContext): Promise<void> => new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve()))

  it('200 iterations, 100 throw, 20 time out: 200 start lags and 200 service times; invalid, failed and interrupted ones count too', async () => {
    const throwing = Scenario.create('throwing', (ctx) => {
      const kind = ctx.invocationNumber % 10
      if (kind < 5) throw new Error('boom')
      if (kind === 5) return hangUntilAborted(ctx)
      return Response.ok()
    })
      .withIterationTimeout('100ms')
      .withLoadSimulations(Simulation.iterationsForInject(400, 1, 200))
    const odd = Scenario.create('odd', ((ctx: IterationContext): unknown => {
      const n = ctx.invocationNumber
      // The last one outlives the graceful stop (100 ms) long before its timeout (30 s): interrupted.
      if (n === 30) return new Promise(() => {})
      if (n % 2 === 0) return 7
      return Response.fail(503)
    }) as ScenarioHandler)
      .withGracefulStop('100ms')
      .withLoadSimulations(Simulation.iterationsForInject(100, 1, 30))
    const result = await runLocally(throwing, odd)

    const stats = result.getScenarioStats('throwing')
    const byCode = Object.fromEntries(stats.statusCodes.map((code) => [code.statusCode, code.count]))
    expect(byCode).toEqual({ exception: 100, timeout: 20, ok: 80 })
    expect(stats.startLagMs?.count).toBe(200)
    expect(stats.serviceTimeMs?.count).toBe(200)

    const oddStats = result.getScenarioStats('odd')
    expect(Object.fromEntries(oddStats.statusCodes.map((code) => [code.statusCode, code.count]))).toEqual({ invalid_response: 14, '503': 15, interrupted: 1 })
    expect(oddStats.startLagMs?.count).toBe(30)
    expect(oddStats.serviceTimeMs?.count).toBe(30)
  })
})

describe('Step.run checks what its function returns, as the handler path does', () => {
  it('a Response with a bad status code, size and latency is an invalid_response failure of the step and its iteration', async () => {
    const scenario = Scenario.create('steps', async (ctx) => {
      await Step.run('bad', ctx, () => Response.ok({ code: 1 } as unknown as number, -5, '', Number.NaN))
    }).withLoadSimulations(Simulation.iterationsForConstant(1, 3))
    const stats = (await runLocally(scenario)).getScenarioStats('steps')
    const step = stats.getStepStats('bad')
    expect(step.ok.request.count).toBe(0)
    expect(step.statusCodes).toEqual([expect.objectContaining({ statusCode: 'invalid_response', isError: true, count: 3 })])
    expect(step.errors[0]?.message).toContain('statusCode must be a number or a string, got a plain object')
    expect(stats.statusCodes).toEqual([expect.objectContaining({ statusCode: 'invalid_response', count: 3 })])
  })

  it('a step that returns something else than a Response fails as invalid_response too', async () => {
    const scenario = Scenario.create('steps-garbage', async (ctx) => {
      await Step.run('garbage', ctx, () => 42 as unknown as ScenarioResponse)
    }).withLoadSimulations(Simulation.iterationsForConstant(1, 2))
    const step = (await runLocally(scenario)).getStepStats('steps-garbage', 'garbage')
    expect(step.statusCodes).toEqual([expect.objectContaining({ statusCode: 'invalid_response', count: 2 })])
  })
})

describe('exact min, max, mean and totals', () => {
  let target: HttpTarget
  const body = 'x'.repeat(5000)
  beforeAll(async () => {
    target = await startHttpTarget(() => ({ status: 200, body }))
  })
  afterAll(() => target?.close())

  it('10 000 responses of exactly 5000 B with a custom latency of exactly 1000 ms read 5000 B and 1000 ms', async () => {
    const scenario = Scenario.create('exact', async (ctx) => {
      const response = await http.get(ctx, `${target.url}/`)
      return Response.ok(response.statusCode, response.sizeBytes, '', 1000)
    }).withLoadSimulations(Simulation.iterationsForConstant(20, 10_000))
    const stats = (await runLocally(scenario)).getScenarioStats('exact')
    expect(target.requestCount).toBe(10_000)
    expect(stats.ok.request.count).toBe(10_000)
    const data = stats.ok.dataTransferBytes
    expect(data.total).toBe(target.bytesSent)
    expect([data.min, data.mean, data.max, data.p50, data.p99, data.percentile(0), data.percentile(100)]).toEqual([5000, 5000, 5000, 5000, 5000, 5000, 5000])
    const latency = stats.ok.latencyMs
    expect([latency.min, latency.mean, latency.max, latency.stdDev]).toEqual([1000, 1000, 1000, 0])
    expect([latency.p50, latency.p99, latency.percentile(99.99), latency.percentile(0), latency.percentile(100)]).toEqual([1000, 1000, 1000, 1000, 1000])
  }, 30_000)

  it('sizes beyond the histogram range are counted exactly, and the result says what the histogram capped', async () => {
    const scenario = Scenario.create('huge', () => Response.ok(200, 5e12)).withLoadSimulations(Simulation.iterationsForConstant(1, 3))
    const result = await runLocally(scenario)
    const data = result.getScenarioStats('huge').ok.dataTransferBytes
    expect(data.total).toBe(1.5e13)
    expect([data.min, data.mean, data.max]).toEqual([5e12, 5e12, 5e12])
    expect(result.warnings).toEqual([expect.stringMatching(/scenario "huge": 3 response sizes above 1e\+?12 B .*histogram/)])
  })

  it('percentile(0) is the min and percentile(100) the max, exactly', async () => {
    let n = 0
    const scenario = Scenario.create('spread', () => Response.ok(200, 0, '', [3.2, 7.77, 12.345][n++ % 3])).withLoadSimulations(
      Simulation.iterationsForConstant(1, 30),
    )
    const latency = (await runLocally(scenario)).getScenarioStats('spread').ok.latencyMs
    expect(latency.percentile(0)).toBe(3.2)
    expect(latency.min).toBe(3.2)
    expect(latency.percentile(100)).toBe(12.345)
    expect(latency.max).toBe(12.345)
    expect(latency.mean).toBeCloseTo((3.2 + 7.77 + 12.345) / 3, 9)
    expect(() => latency.percentile(-1)).toThrow(RangeError)
    expect(() => latency.percentile(101)).toThrow(RangeError)
  })
})

describe('maxConcurrency holds while a timed-out handler still runs', () => {
  it('an open-model iteration past its timeout keeps its place until its handler returns', async () => {
    let running = 0
    let mostRunning = 0
    const scenario = Scenario.create('capped', async () => {
      running++
      mostRunning = Math.max(mostRunning, running)
      // Ignores ctx.signal: the timeout records it, but the handler keeps running for 300 ms.
      await new Promise((resolve) => setTimeout(resolve, 300))
      running--
    })
      .withIterationTimeout('50ms')
      .withMaxConcurrency(2)
      .withGracefulStop('1s')
      .withLoadSimulations(Simulation.inject(50, 1, 1))
    const stats = (await runLocally(scenario)).getScenarioStats('capped')
    expect(mostRunning).toBe(2)
    expect(stats.allRequestCount + stats.droppedIterations).toBe(50)
    expect(stats.statusCodes.find((code) => code.statusCode === 'timeout')?.count).toBe(stats.allRequestCount)
  })
})
