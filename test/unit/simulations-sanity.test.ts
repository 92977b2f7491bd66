/** Plans that look like a unit mistake are warned about, with the numbers; ordinary plans are not. */
import { describe, expect, test } from 'vitest'
import { scenarioPlanWarnings } from '../../src/engine/plan-warnings.js'
import { Response, Scenario, Simulation } from '../../src/index.js'
import type { LoadSimulation } from '../../src/simulations/types.js'

/** The warnings about one scenario with these simulations and warm-up. */
function simulationSanityWarnings(name: string, simulations: LoadSimulation[], warmUpMs: number): string[] {
  return scenarioPlanWarnings([Scenario.create(name, () => Response.ok()).withLoadSimulations(...simulations).withWarmUpDuration(`${warmUpMs}ms`)])
}

describe('plans that look like a unit mistake', () => {
  test('a during of 2000 (meant as ms) plans 33 minutes: "numbers are seconds", with the number', () => {
    expect(simulationSanityWarnings('s', [Simulation.inject(10, 1, 2000)], 0)).toEqual([
      `scenario "s": its load plan lasts 33m20s (inject 10 per 1s for 33m20s). Durations given as numbers are seconds: 2000 is 33m20s; for milliseconds write '2000ms'`,
    ])
  })

  test('an interval above 600 s is named even in a short plan; so is a long warm-up', () => {
    expect(simulationSanityWarnings('s', [Simulation.inject(10, 1000, 30)], 0)[0]).toContain("1000 is 16m40s; for milliseconds write '1000ms'")
    expect(simulationSanityWarnings('s', [Simulation.keepConstant(2, 30)], 700_000)[0]).toContain('lasts 12m10s (warm-up 11m40s, keep 2 copies for 30s)')
  })

  test('a plan of 10 minutes or less, made of durations up to 600 s, is fine; so are iteration counts', () => {
    expect(simulationSanityWarnings('s', [Simulation.inject(10, 1, 600)], 0)).toEqual([])
    expect(simulationSanityWarnings('s', [Simulation.inject(10, 1, '5m'), Simulation.pause(300)], 0)).toEqual([])
    expect(simulationSanityWarnings('s', [Simulation.iterationsForConstant(2, 1000)], 0)).toEqual([])
  })

  test('a plan longer than 10 minutes of smaller durations is named by its longest duration', () => {
    const warning = simulationSanityWarnings('s', [Simulation.keepConstant(1, 400), Simulation.keepConstant(2, 300)], 0)[0]
    expect(warning).toContain('lasts 11m40s')
    expect(warning).toContain("400 is 6m40s; for milliseconds write '400ms'")
  })
})

describe('scenarioPlanWarnings', () => {
  test('a scenario without a load simulation runs one iteration, with a warning; Scenario.empty has no load to warn about', () => {
    const bare = Scenario.create('bare', () => Response.ok())
    expect(scenarioPlanWarnings([bare, Scenario.empty('seed'), bare.withLoadSimulations(Simulation.inject(1, 1, 1))])).toEqual([
      'scenario "bare" has no load simulation, so it runs one iteration; give it one with .withLoadSimulations(Simulation.inject(10, 1, 30))',
    ])
  })
})
