import { expect } from '@jest/globals'
import { loadScenario, Simulation } from 'loadspec/jest'
import { browse, checkout } from './scenarios'

// Open model: 100 new requests a second whatever the shop does; latency counts from when each was due.
loadScenario('browsing keeps p99 under 250 ms at 100 rps', [browse.withLoadSimulations(Simulation.inject(100, 1, '1s'))], (result) => {
  expect(result).toHavePercentileBelow(99, 250)
  expect(result).toHaveFailRateBelow(0.01)
  expect(result).toHaveNoDroppedIterations()
})

// Closed model: 10 shoppers, each starting a new checkout when the last one is done.
loadScenario('10 shoppers check out without errors', [checkout.withLoadSimulations(Simulation.keepConstant(10, '1s'))], (result) => {
  expect(result).toHaveFailCount(0)
  expect(result.getStepStats('checkout', 'pay')).toHavePercentileBelow(95, 250)
  expect(result.getScenarioStats('checkout')).toHaveStatusCodeCount(200, expect.any(Number))
})
