import { describe, expect, it } from 'vitest'
import { Response, Scenario, Simulation } from '../../src/index.js'
import { runLocally } from '../support/run.js'

function blockEventLoop(ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until) {
    // Busy-wait on purpose: the stall must block timers, not just this handler.
  }
}

describe('open model', () => {
  it('measures latency from the intended start: a 500 ms stall shows in p99 (no coordinated omission)', async () => {
    let invocations = 0
    const scenario = Scenario.create('stall', () => {
      invocations++
      if (invocations === 200) blockEventLoop(500)
      return Response.ok(200)
    }).withLoadSimulations(Simulation.inject(200, 1, 3))
    const stats = (await runLocally(scenario)).getScenarioStats('stall')
    // Every scheduled iteration either started or was counted as dropped.
    expect(stats.ok.request.count + stats.fail.request.count + stats.droppedIterations).toBe(600)
    expect(stats.droppedIterations).toBe(0)
    // ~100 iterations were due during the stall: 1/6 of all, so p95 and p99 carry the wait.
    expect(stats.ok.latencyMs.p99).toBeGreaterThanOrEqual(400)
    expect(stats.ok.latencyMs.max).toBeGreaterThanOrEqual(480)
    // The handler itself is instant: its service time stays small while latency includes the wait.
    expect(stats.serviceTimeMs?.p99 ?? Infinity).toBeLessThan(100)
    expect(stats.startLagMs?.max ?? 0).toBeGreaterThanOrEqual(400)
  })

  it('counts iterations it could not start under the concurrency cap as dropped', async () => {
    const scenario = Scenario.create('slow', async (ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 200))
      return Response.ok(200)
    })
      .withLoadSimulations(Simulation.inject(100, 1, 1))
      .withMaxConcurrency(5)
    const stats = (await runLocally(scenario)).getScenarioStats('slow')
    expect(stats.ok.request.count + stats.droppedIterations).toBe(100)
    expect(stats.droppedIterations).toBeGreaterThan(50)
  })

  it('iterationsForInject starts exactly the iterations asked for', async () => {
    const scenario = Scenario.create('burst', () => Response.ok(204)).withLoadSimulations(Simulation.iterationsForInject(500, 1, 250))
    const stats = (await runLocally(scenario)).getScenarioStats('burst')
    expect(stats.ok.request.count).toBe(250)
    expect(stats.statusCodes).toEqual([expect.objectContaining({ statusCode: '204', count: 250, percent: 100 })])
  })
})
