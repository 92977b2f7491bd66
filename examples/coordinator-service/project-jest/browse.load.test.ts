import { expect } from '@jest/globals'
import { loadScenario, Simulation } from 'loadspec/jest'
import { browse } from '../scenarios'

loadScenario('team C (Jest): 40 browsing sessions without errors', [browse.withLoadSimulations(Simulation.iterationsForConstant(2, 20))], (result) => {
  expect(result).toHaveOkCount(40)
})
