import { describe, expect, it } from 'vitest'
import { Response, Scenario, Simulation } from '../../src/index.js'
import { runLocally } from '../support/run.js'

// Handlers that never wait on I/O run on microtasks only; without care, no timer would ever fire again.
describe('handlers that never give the event loop a turn', () => {
  it('keepConstant still ends, with an async handler that only awaits resolved promises', { timeout: 15_000 }, async () => {
    const scenario = Scenario.create('microtasks', async () => {
      await Promise.resolve()
    }).withLoadSimulations(Simulation.keepConstant(8, '300ms'))
    const stats = (await runLocally(scenario)).getScenarioStats('microtasks')
    expect(stats.ok.request.count).toBeGreaterThan(0)
    expect(stats.fail.request.count).toBe(0)
    expect(stats.durationMs).toBeGreaterThanOrEqual(300)
  })

  it('keepConstant still ends, with a synchronous handler', { timeout: 15_000 }, async () => {
    const scenario = Scenario.create('sync', () => Response.ok(200, 10)).withLoadSimulations(Simulation.keepConstant(3, '300ms'))
    const stats = (await runLocally(scenario)).getScenarioStats('sync')
    expect(stats.ok.request.count).toBeGreaterThan(0)
    expect(stats.ok.dataTransferBytes.total).toBe(stats.ok.request.count * 10)
  })

  it('leaves time for another scenario\'s open-model schedule', { timeout: 15_000 }, async () => {
    const busy = Scenario.create('busy', async () => {}).withLoadSimulations(Simulation.keepConstant(4, '600ms'))
    const scheduled = Scenario.create('scheduled', () => Response.ok(200)).withLoadSimulations(Simulation.inject(100, 1, '500ms'))
    const result = await runLocally(busy, scheduled)
    const stats = result.getScenarioStats('scheduled')
    expect(stats.ok.request.count + stats.droppedIterations).toBe(50)
    expect(stats.droppedIterations).toBe(0)
  })

  it('shares an iteration budget exactly among copies that never yield', async () => {
    let invocations = 0
    const scenario = Scenario.create('budget', () => {
      invocations++
    }).withLoadSimulations(Simulation.iterationsForConstant(7, 10_000))
    const stats = (await runLocally(scenario)).getScenarioStats('budget')
    expect(stats.ok.request.count).toBe(10_000)
    expect(invocations).toBe(10_000)
  })
})
