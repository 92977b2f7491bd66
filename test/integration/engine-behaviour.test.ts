import { describe, expect, it } from 'vitest'
import { Response, Runner, Scenario, ScenarioInitError, Simulation, type IterationContext, type ScenarioHandler } from '../../src/index.js'
import { runLocally } from '../support/run.js'

describe('what a handler returns', () => {
  it('records custom latency exactly: Response.ok(200, 0, "", 42) is 42 ms', async () => {
    const scenario = Scenario.create('custom', () => Response.ok(200, 0, '', 42)).withLoadSimulations(Simulation.iterationsForConstant(2, 100))
    const latency = (await runLocally(scenario)).getScenarioStats('custom').ok.latencyMs
    expect(latency.count).toBe(100)
    for (const value of [latency.min, latency.p50, latency.p99, latency.max, latency.percentile(99.9)]) {
      expect(value).toBeCloseTo(42, 1)
    }
  })

  it('treats throws, rejections, non-Errors and garbage as counted failures, and nothing as ok', async () => {
    const messyHandler = (ctx: IterationContext): unknown => {
      switch (ctx.invocationNumber % 5) {
        case 0:
          throw new Error('sync boom')
        case 1:
          return Promise.reject(new Error('async boom'))
        case 2:
          throw { code: 42 }
        case 3:
          return 7
        default:
          return undefined
      }
    }
    const scenario = Scenario.create('messy', messyHandler as ScenarioHandler).withLoadSimulations(Simulation.iterationsForConstant(1, 50))
    const stats = (await runLocally(scenario)).getScenarioStats('messy')
    expect(stats.allRequestCount).toBe(50)
    expect(stats.ok.request.count).toBe(10)
    expect(stats.fail.request.count).toBe(40)
    const exception = stats.statusCodes.find((code) => code.statusCode === 'exception')
    expect(exception?.count).toBe(30)
    expect(stats.errors).toEqual(
      expect.arrayContaining([
        { statusCode: 'exception', message: 'sync boom', count: 10 },
        { statusCode: 'exception', message: 'async boom', count: 10 },
        { statusCode: 'exception', message: 'non-Error thrown: {"code":42}', count: 10 },
        expect.objectContaining({ statusCode: 'invalid_response', count: 10, message: expect.stringContaining('returned 7') }),
      ]),
    )
  })

  it('rejects a Response with a bad field as a failure that says which field', async () => {
    const scenario = Scenario.create('bad-size', () => Response.ok(200, -5)).withLoadSimulations(Simulation.iterationsForConstant(1, 3))
    const stats = (await runLocally(scenario)).getScenarioStats('bad-size')
    expect(stats.fail.request.count).toBe(3)
    expect(stats.errors[0]?.message).toContain('sizeBytes must be a non-negative number, got -5')
  })
})

describe('init, clean and stopping', () => {
  it('fails the run with the init error, and still runs clean', async () => {
    const calls: string[] = []
    const failing = Scenario.create('db', () => Response.ok())
      .withInit(() => {
        calls.push('init db')
        throw new Error('cannot reach the database')
      })
      .withClean(() => {
        calls.push('clean db')
      })
    const run = runLocally(failing)
    await expect(run).rejects.toBeInstanceOf(ScenarioInitError)
    await expect(run).rejects.toThrow('Scenario "db" init failed: cannot reach the database')
    expect(calls).toEqual(['init db', 'clean db'])
  })

  it('runs clean after a run whose iterations all failed, and shares init data with iterations', async () => {
    const calls: string[] = []
    const scenario = Scenario.create('seeded', (ctx) => {
      if (ctx.scenarioData.token !== 'abc') return Response.fail('no-token')
      throw new Error('always')
    })
      .withInit((ctx) => {
        ctx.scenarioData.token = 'abc'
      })
      .withClean(() => {
        calls.push('clean')
      })
      .withLoadSimulations(Simulation.iterationsForConstant(1, 5))
    const stats = (await runLocally(scenario)).getScenarioStats('seeded')
    expect(stats.errors).toEqual([{ statusCode: 'exception', message: 'always', count: 5 }])
    expect(calls).toEqual(['clean'])
  })

  it('aborts ctx.signal and counts a hung iteration as a timeout, then carries on', async () => {
    let abortedSignals = 0
    const scenario = Scenario.create('hang', (ctx) => {
      if (ctx.invocationNumber === 1) {
        return new Promise<void>((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            abortedSignals++
            // Resolving after the abort must not count this iteration twice.
            resolve()
          })
        })
      }
      return Response.ok()
    })
      .withIterationTimeout('100ms')
      .withLoadSimulations(Simulation.iterationsForConstant(1, 20))
    const stats = (await runLocally(scenario)).getScenarioStats('hang')
    expect(abortedSignals).toBe(1)
    expect(stats.allRequestCount).toBe(20)
    expect(stats.statusCodes.find((code) => code.statusCode === 'timeout')?.count).toBe(1)
    expect(stats.fail.latencyMs.max).toBeGreaterThanOrEqual(100)
  })

  it('replaces a copy stuck in a handler that ignores its signal', async () => {
    const scenario = Scenario.create('stuck', (ctx) => {
      if (ctx.invocationNumber === 1) return new Promise<void>(() => {})
      return Response.ok()
    })
      .withIterationTimeout('50ms')
      .withGracefulStop('100ms')
      .withLoadSimulations(Simulation.iterationsForConstant(1, 10))
    const stats = (await runLocally(scenario)).getScenarioStats('stuck')
    expect(stats.ok.request.count).toBe(9)
    expect(stats.statusCodes.find((code) => code.statusCode === 'timeout')?.count).toBe(1)
  })

  it('lets in-flight iterations finish within the graceful stop, signal untouched', async () => {
    const scenario = Scenario.create('finishing', async (ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 150))
      if (ctx.signal.aborted) return Response.fail('aborted-too-early')
      return Response.ok()
    })
      .withGracefulStop('1s')
      .withLoadSimulations(Simulation.keepConstant(3, '200ms'))
    const stats = (await runLocally(scenario)).getScenarioStats('finishing')
    expect(stats.fail.request.count).toBe(0)
    expect(stats.ok.request.count).toBe(6)
  })

  it('interrupts iterations still running after the graceful stop period', async () => {
    const scenario = Scenario.create('long', () => new Promise<void>(() => {}))
      .withGracefulStop('100ms')
      .withLoadSimulations(Simulation.keepConstant(3, '200ms'))
    const stats = (await runLocally(scenario)).getScenarioStats('long')
    expect(stats.statusCodes).toEqual([expect.objectContaining({ statusCode: 'interrupted', count: 3, isError: true })])
  })

  it('discards what the warm-up measured', async () => {
    let invocations = 0
    const scenario = Scenario.create('warm', () => {
      invocations++
      return Response.ok()
    })
      .withWarmUpDuration('300ms')
      .withLoadSimulations(Simulation.inject(100, 1, '500ms'))
    const stats = (await runLocally(scenario)).getScenarioStats('warm')
    expect(stats.ok.request.count).toBe(50)
    expect(invocations).toBe(80)
  })

  it('stopScenario stops one scenario; the others run to the end', async () => {
    const stopper = Scenario.create('stopper', (ctx) => {
      if (ctx.invocationNumber === 10) ctx.stopScenario('victim', 'enough')
      return Response.ok()
    }).withLoadSimulations(Simulation.inject(50, 1, '600ms'))
    const victim = Scenario.create('victim', () => Response.ok()).withLoadSimulations(Simulation.inject(50, 1, '600ms'))
    const result = await runLocally(stopper, victim)
    expect(result.getScenarioStats('stopper').ok.request.count).toBe(30)
    expect(result.getScenarioStats('victim').ok.request.count).toBeLessThan(20)
    expect(result.warnings).toEqual(['scenario "victim" stopped by scenario "stopper": enough'])
  })

  it('starts nothing when the run is stopped before its load begins', async () => {
    let invocations = 0
    const scenario = Scenario.create('never', () => {
      invocations++
      return Response.ok()
    })
      .withWarmUpDuration('200ms')
      .withLoadSimulations(Simulation.keepConstant(2, '30s'))
    const stopped = new AbortController()
    stopped.abort(new Error('stopped before the start'))
    const started = performance.now()
    const result = await Runner.registerScenarios(scenario).withConfigSources({ argv: [], env: {} }).withoutReports().run({ stopSignal: stopped.signal })
    expect(performance.now() - started).toBeLessThan(5_000)
    expect(invocations).toBe(0)
    expect(result.getScenarioStats('never').allRequestCount).toBe(0)
  })

  it('stopCurrentTest ends every scenario early and says why', async () => {
    const scenario = Scenario.create('quit', (ctx) => {
      if (ctx.invocationNumber === 5) ctx.stopCurrentTest('target is down')
      return Response.ok()
    }).withLoadSimulations(Simulation.keepConstant(1, '30s'))
    const started = performance.now()
    const result = await runLocally(scenario)
    expect(performance.now() - started).toBeLessThan(10_000)
    expect(result.getScenarioStats('quit').ok.request.count).toBe(5)
    expect(result.warnings).toEqual(['run stopped by scenario "quit": target is down'])
  })

  it('rampingConstant grows copies from the previous stage', async () => {
    let maxConcurrent = 0
    let concurrent = 0
    const scenario = Scenario.create('ramp', async () => {
      concurrent++
      maxConcurrent = Math.max(maxConcurrent, concurrent)
      await new Promise((resolve) => setTimeout(resolve, 5))
      concurrent--
    }).withLoadSimulations(Simulation.keepConstant(2, '200ms'), Simulation.rampingConstant(6, '300ms'), Simulation.keepConstant(6, '100ms'))
    await runLocally(scenario)
    expect(maxConcurrent).toBe(6)
  })
})
