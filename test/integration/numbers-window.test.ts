/**
 * The measured window and the rps divided by it (docs/numbers.md): from load
 * start (after warm-up) to the end of the plan, or the stop, minus pause
 * stages; the graceful-stop drain is not part of it. One run holds the rows
 * of issue 10's table that are about rps, each scenario on its own window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { http } from '../../src/http/index.js'
import { Response, Runner, Scenario, Simulation, type RunProgress, type RunResult } from '../../src/index.js'
import { startHttpTarget, type HttpTarget } from '../support/http-target.js'
import { runLocally } from '../support/run.js'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('rps over the measured window, one definition for both models', () => {
  let target: HttpTarget
  let result: RunResult
  const invocations = new Map<string, number>()
  const count = (name: string): void => {
    invocations.set(name, (invocations.get(name) ?? 0) + 1)
  }

  beforeAll(async () => {
    // Request 10 hangs until the test closes the server: its iteration is still running when the plan ends.
    target = await startHttpTarget((number) => ({ status: 200, body: 'ok', delayMs: number === 10 ? 60_000 : 0 }))
    const hang = Scenario.create('hang', (ctx) => http.get(ctx, `${target.url}/`))
      .withGracefulStop('1s')
      .withLoadSimulations(Simulation.inject(50, 1, 2))
    const slow = Scenario.create('slow', async () => {
      count('slow')
      await sleep(100)
    }).withLoadSimulations(Simulation.inject(1, 1, 5))
    const rampDown = Scenario.create('ramp-down', () => count('ramp-down')).withLoadSimulations(
      Simulation.inject(20, 1, 1),
      Simulation.rampingInject(0, 1, 3),
    )
    const openPause = Scenario.create('open-pause', () => count('open-pause')).withLoadSimulations(Simulation.inject(10, 1, 3), Simulation.pause(3))
    const closedPause = Scenario.create('closed-pause', async () => {
      count('closed-pause')
      await sleep(100)
    }).withLoadSimulations(Simulation.keepConstant(2, 3), Simulation.pause(2))
    result = await runLocally(hang, slow, rampDown, openPause, closedPause)
  }, 30_000)

  afterAll(() => target?.close())

  it('inject(50, 1, 2) with one iteration hung until the graceful stop: the 1 s drain is not in the window', () => {
    const stats = result.getScenarioStats('hang')
    expect(target.requestCount).toBe(100)
    expect(stats.durationMs).toBe(2000)
    // The hung one is interrupted after the graceful stop; the 99 others are ok.
    expect(stats.statusCodes.find((code) => code.statusCode === 'interrupted')?.count).toBe(1)
    expect(stats.ok.request.count).toBe(99)
    expect(stats.ok.request.rps).toBe(49.5)
    expect(stats.allRequestRps).toBe(50)
    expect(stats.fail.request.rps).toBe(0.5)
  })

  it('inject(1, 1, 5) with a 100 ms handler: 5 requests over the 5 s plan, not over the time to the last launch', () => {
    const stats = result.getScenarioStats('slow')
    expect(invocations.get('slow')).toBe(5)
    expect(stats.durationMs).toBe(5000)
    expect(stats.ok.request.rps).toBe(1)
  })

  it('inject(20, 1, 1) then rampingInject(0, 1, 3): 50 iterations over the 4 s plan', () => {
    const stats = result.getScenarioStats('ramp-down')
    // 20 in the first second, then the ramp from 20/s to 0 adds its area: 30.
    expect(invocations.get('ramp-down')).toBe(50)
    expect(stats.durationMs).toBe(4000)
    expect(stats.allRequestRps).toBe(12.5)
  })

  it('pauses are not load time, in the open model ...', () => {
    const stats = result.getScenarioStats('open-pause')
    expect(invocations.get('open-pause')).toBe(30)
    expect(stats.durationMs).toBe(3000)
    expect(stats.ok.request.rps).toBe(10)
  })

  it('... and in the closed model alike', () => {
    const stats = result.getScenarioStats('closed-pause')
    const requests = invocations.get('closed-pause') ?? 0
    // Two copies of >= 100 ms iterations for 3 s: at most 62 (the iterations that end in the drain count too);
    // how many fewer depends on how late a busy machine fires the handlers' timers.
    expect(requests).toBeGreaterThanOrEqual(20)
    expect(requests).toBeLessThanOrEqual(62)
    expect(stats.allRequestCount).toBe(requests)
    expect(stats.durationMs).toBe(3000)
    expect(stats.ok.request.rps).toBe(requests / 3)
  })
})

describe('interim stats while load runs', () => {
  it('exclude the warm-up and divide by the measured window so far', async () => {
    const progress: RunProgress[] = []
    let warmUpCalls = 0
    let measuring = false
    const scenario = Scenario.create('warm', () => {
      if (!measuring) warmUpCalls++
      return Response.ok()
    })
      .withWarmUpDuration(1)
      .withLoadSimulations(Simulation.inject(100, 1, 2))
    const result = await Runner.registerScenarios(scenario)
      .withConfigSources({ argv: [], env: {} })
      .withConfig({ reportingIntervalMs: 250 })
      .withoutReports()
      .run({
        quiet: true,
        onProgress: (update) => {
          progress.push(update)
          // The first update after the warm-up's end is where measuring began.
          if (update.elapsedMs > 1000) measuring = true
        },
      })
    expect(warmUpCalls).toBeGreaterThanOrEqual(90)
    expect(result.getScenarioStats('warm').ok.request.count).toBe(200)
    const interims = progress.flatMap((update) => update.scenarios.filter((stats) => stats.scenarioName === 'warm'))
    expect(interims.length).toBeGreaterThanOrEqual(3)
    for (const interim of interims) {
      const requests = interim.ok.count + interim.fail.count
      // Never more than the measured window so far can hold at 100/s (+1: the first is due at 0).
      expect(requests).toBeLessThanOrEqual(Math.floor(interim.durationMs / 10) + 1)
      expect(interim.durationMs).toBeLessThanOrEqual(2000)
      if (interim.durationMs >= 500) expect(Math.abs(requests / (interim.durationMs / 1000) - 100)).toBeLessThan(10)
    }
  }, 20_000)
})
