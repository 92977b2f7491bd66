import { expect } from 'vitest'
import { loadScenario, Simulation } from 'loadspec/vitest'
import { browse } from '../scenarios.js'

// Project B shares the agents with project A: its session waits in the service's queue while A's runs.
loadScenario('team B: 60 browsing sessions without errors', [browse.withLoadSimulations(Simulation.iterationsForConstant(2, 30))], (result) => {
  expect(result).toHaveOkCount(60)
})
