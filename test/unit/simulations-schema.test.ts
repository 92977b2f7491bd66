import { describe, expect, test } from 'vitest'
import { Simulation, loadSimulationListSchema, loadSimulationSchema, type LoadSimulation } from '../../src/simulations/index.js'

const made: LoadSimulation[] = [
  Simulation.inject(100, 1, 30),
  Simulation.rampingInject(0, '500ms', '2m'),
  Simulation.injectRandom(0, 10, 1, 60),
  Simulation.keepConstant(4, '1m30s'),
  Simulation.rampingConstant(0, 10),
  Simulation.iterationsForConstant(4, 1000),
  Simulation.iterationsForInject(2.5, 1, 100),
  Simulation.pause(0),
]

describe('loadSimulationSchema', () => {
  test.each(made.map((sim) => [sim.kind, sim] as const))('accepts what Simulation.%s makes, after a trip through JSON', (_kind, sim) => {
    const received: unknown = JSON.parse(JSON.stringify(sim))
    expect(loadSimulationSchema.parse(received)).toEqual(sim)
  })

  test.each<[string, unknown]>([
    ['not an object', 'inject'],
    ['null', null],
    ['no kind', { rate: 1, intervalMs: 1000, duringMs: 1000 }],
    ['an unknown kind', { kind: 'spike', rate: 1, intervalMs: 1000, duringMs: 1000 }],
    ['a rate as a string', { kind: 'inject', rate: '100', intervalMs: 1000, duringMs: 1000 }],
    ['a missing field', { kind: 'inject', rate: 100, intervalMs: 1000 }],
    ['a duration as a string', { kind: 'keepConstant', copies: 2, duringMs: '30s' }],
    ['an infinite duration', { kind: 'pause', duringMs: Number.POSITIVE_INFINITY }],
    ['copies as a boolean', { kind: 'iterationsForConstant', copies: true, iterations: 10 }],
  ])('rejects %s', (_name, value) => {
    expect(loadSimulationSchema.safeParse(value).success).toBe(false)
  })

  test.each<[unknown, string, string]>([
    [{ kind: 'inject', rate: -1, intervalMs: 1000, duringMs: 5000 }, 'rate', 'Simulation.inject: "rate" must be a number greater than 0, got -1'],
    [{ kind: 'keepConstant', copies: 1.5, duringMs: 5000 }, 'copies', 'Simulation.keepConstant: "copies" must be a positive integer, got 1.5'],
    [
      { kind: 'injectRandom', minRate: 20, maxRate: 10, intervalMs: 1000, duringMs: 5000 },
      'minRate',
      'Simulation.injectRandom: "minRate" must be at most "maxRate" (10), got 20',
    ],
    [{ kind: 'rampingInject', rate: 5, intervalMs: 0, duringMs: 5000 }, 'intervalMs', 'Simulation.rampingInject: "intervalMs" must be a number of milliseconds greater than 0, got 0'],
    [{ kind: 'pause', duringMs: -1 }, 'duringMs', 'Simulation.pause: "duringMs" must be a number of milliseconds, 0 or more, got -1'],
    [{ kind: 'iterationsForInject', rate: 1, intervalMs: 1000, iterations: 0 }, 'iterations', 'Simulation.iterationsForInject: "iterations" must be a positive integer, got 0'],
  ])('applies the creators\' rules, in their words: %j', (value, path, message) => {
    const result = loadSimulationSchema.safeParse(value)
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([[path, message]])
  })
})

describe('loadSimulationListSchema', () => {
  test('accepts a valid list', () => {
    const list = [Simulation.rampingInject(10, 1, 5), Simulation.pause(1), Simulation.inject(10, 1, 5)]
    expect(loadSimulationListSchema.parse(JSON.parse(JSON.stringify(list)))).toEqual(list)
  })

  test.each<[string, LoadSimulation[], RegExp]>([
    ['an empty list', [], /at least one load simulation/],
    ['open and closed mixed', [Simulation.inject(1, 1, 1), Simulation.keepConstant(1, 1)], /cannot mix open-model "inject" \(#1\) with closed-model "keepConstant" \(#2\)/],
    ['an iteration-bound simulation with another', [Simulation.iterationsForInject(1, 1, 5), Simulation.pause(1)], /cannot combine "iterationsForInject" \(#1\)/],
  ])('rejects %s with compilePlan\'s message', (_name, list, message) => {
    const result = loadSimulationListSchema.safeParse(list)
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((issue) => issue.message).join('\n')).toMatch(message)
  })

  test('reports an element\'s problem once', () => {
    const result = loadSimulationListSchema.safeParse([{ kind: 'inject', rate: 0, intervalMs: 1000, duringMs: 1000 }])
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['Simulation.inject: "rate" must be a number greater than 0, got 0'])
  })
})
