import { expect } from 'vitest'
import { loadScenario, Simulation } from 'loadspec/vitest'
import { browse } from '../scenarios.js'

// Project A: 40 requests a second for 2 s, on each of the two agents the session gets.
loadScenario('team A: browsing stays under 250 ms at p99', [browse.withLoadSimulations(Simulation.inject(40, 1, '2s'))], (result) => {
  expect(result).toHavePercentileBelow(99, 250)
  expect(result).toHaveFailRateBelow(0.01)
})
