import { describe, expect, test } from 'vitest'
import { Simulation, compilePlan, describeSimulation, type LoadSimulation } from '../../src/simulations/index.js'

describe('Simulation creators return plain data, durations in ms', () => {
  test.each<[string, LoadSimulation, LoadSimulation]>([
    ['inject', Simulation.inject(100, 1, 30), { kind: 'inject', rate: 100, intervalMs: 1000, duringMs: 30_000 }],
    ['rampingInject', Simulation.rampingInject(50, '500ms', '2m'), { kind: 'rampingInject', rate: 50, intervalMs: 500, duringMs: 120_000 }],
    [
      'injectRandom',
      Simulation.injectRandom(5, 10, 1.5, '1m30s'),
      { kind: 'injectRandom', minRate: 5, maxRate: 10, intervalMs: 1500, duringMs: 90_000 },
    ],
    ['keepConstant', Simulation.keepConstant(8, '1h'), { kind: 'keepConstant', copies: 8, duringMs: 3_600_000 }],
    ['rampingConstant', Simulation.rampingConstant(0, '250ms'), { kind: 'rampingConstant', copies: 0, duringMs: 250 }],
    ['iterationsForConstant', Simulation.iterationsForConstant(4, 1000), { kind: 'iterationsForConstant', copies: 4, iterations: 1000 }],
    ['iterationsForInject', Simulation.iterationsForInject(20, '2s', 500), { kind: 'iterationsForInject', rate: 20, intervalMs: 2000, iterations: 500 }],
    ['pause', Simulation.pause('5'), { kind: 'pause', duringMs: 5000 }],
  ])('%s', (_kind, made, expected) => {
    expect(made).toStrictEqual(expected)
    expect(JSON.parse(JSON.stringify(made))).toStrictEqual(made)
  })
})

describe('describeSimulation', () => {
  test.each<[LoadSimulation, string]>([
    [Simulation.inject(100, 1, 30), 'inject 100 per 1s for 30s'],
    [Simulation.rampingInject(100, '1m', '2m30s'), 'ramp injection to 100 per 1m over 2m30s'],
    [Simulation.injectRandom(10, 20, '250ms', 1.5), 'inject random 10 to 20 per 250ms for 1.5s'],
    [Simulation.keepConstant(1, 10), 'keep 1 copy for 10s'],
    [Simulation.keepConstant(10, '1h'), 'keep 10 copies for 1h'],
    [Simulation.rampingConstant(0, 10), 'ramp to 0 copies over 10s'],
    [Simulation.iterationsForConstant(4, 1000), 'run 1000 iterations with 4 copies'],
    [Simulation.iterationsForInject(50, 1, 200), 'inject 50 per 1s for 200 iterations'],
    [Simulation.pause('500ms'), 'pause for 500ms'],
  ])('%j reads "%s"', (sim, text) => {
    expect(describeSimulation(sim)).toBe(text)
  })
})

describe('compilePlan picks the model from the kinds', () => {
  test.each<[LoadSimulation[], 'open' | 'closed']>([
    [[Simulation.inject(1, 1, 1)], 'open'],
    [[Simulation.rampingInject(1, 1, 1)], 'open'],
    [[Simulation.injectRandom(1, 2, 1, 1)], 'open'],
    [[Simulation.iterationsForInject(1, 1, 1)], 'open'],
    [[Simulation.keepConstant(1, 1)], 'closed'],
    [[Simulation.rampingConstant(1, 1)], 'closed'],
    [[Simulation.iterationsForConstant(1, 1)], 'closed'],
    [[Simulation.pause(1), Simulation.keepConstant(1, 1)], 'closed'],
    [[Simulation.pause(1), Simulation.inject(1, 1, 1)], 'open'],
  ])('%j is %s', (simulations, model) => {
    expect(compilePlan(simulations).model).toBe(model)
  })

  test('compiling does not change the simulations', () => {
    const simulations = [Simulation.rampingInject(10, 1, 5), Simulation.inject(10, 1, 5)]
    const copy = structuredClone(simulations)
    compilePlan(simulations)
    expect(simulations).toStrictEqual(copy)
  })
})
