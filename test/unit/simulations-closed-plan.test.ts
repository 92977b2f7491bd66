import { describe, expect, test } from 'vitest'
import { Simulation, compilePlan, type ClosedPlan, type LoadSimulation } from '../../src/simulations/index.js'

function closedPlan(simulations: LoadSimulation[]): ClosedPlan {
  const plan = compilePlan(simulations)
  if (plan.model !== 'closed') throw new Error(`expected a closed plan, got ${plan.model}`)
  return plan
}

/** The largest double below `value`. */
function justBefore(value: number): number {
  if (value === 0) return -Number.MIN_VALUE
  const bits = new Float64Array([value])
  const asInteger = new BigInt64Array(bits.buffer)
  asInteger[0] = (asInteger[0] as bigint) + (value > 0 ? -1n : 1n)
  return bits[0] as number
}

/** Copies at every change point, and the copies just before it. */
function transitions(plan: ClosedPlan): [number, number, number][] {
  return plan.changePointsMs().map((pointMs) => [pointMs, plan.copiesAt(justBefore(pointMs)), plan.copiesAt(pointMs)])
}

describe('keepConstant', () => {
  test('holds its copies for its duration', () => {
    const plan = closedPlan([Simulation.keepConstant(10, 30)])
    expect(plan.durationMs).toBe(30_000)
    expect(plan.iterationLimit).toBeUndefined()
    expect(plan.maxCopies).toBe(10)
    expect([-1, 0, 15_000, 29_999.999, 30_000].map((t) => plan.copiesAt(t))).toEqual([0, 10, 10, 10, 0])
    expect(plan.changePointsMs()).toEqual([0, 30_000])
  })

  test('a sequence changes copies at the stage boundary', () => {
    const plan = closedPlan([Simulation.keepConstant(10, 5), Simulation.keepConstant(3, '2.5s')])
    expect(plan.durationMs).toBe(7500)
    expect(transitions(plan)).toEqual([
      [0, 0, 10],
      [5000, 10, 3],
      [7500, 3, 0],
    ])
  })

  test('equal neighbours need no change point', () => {
    const plan = closedPlan([Simulation.keepConstant(4, 1), Simulation.keepConstant(4, 1)])
    expect(plan.changePointsMs()).toEqual([0, 2000])
  })
})

describe('rampingConstant', () => {
  test('the first ramp starts from 0; each copy is added where the line crosses the half-way point', () => {
    const plan = closedPlan([Simulation.rampingConstant(10, 10)])
    expect(plan.maxCopies).toBe(10)
    expect(plan.changePointsMs()).toEqual([500, 1500, 2500, 3500, 4500, 5500, 6500, 7500, 8500, 9500, 10_000])
    expect(transitions(plan).map(([, before, after]) => after - before)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -10])
    expect(plan.copiesAt(0)).toBe(0)
    expect(plan.copiesAt(499.999)).toBe(0)
    expect(plan.copiesAt(5000)).toBe(5)
    expect(plan.copiesAt(9999)).toBe(10)
  })

  test('ramps from the previous copies, up', () => {
    const plan = closedPlan([Simulation.keepConstant(10, 5), Simulation.rampingConstant(20, 10)])
    const points = plan.changePointsMs()
    expect(points[0]).toBe(0)
    expect(points[1]).toBe(5500)
    expect(points).toHaveLength(1 + 10 + 1)
    expect(plan.copiesAt(5000)).toBe(10)
    expect(plan.copiesAt(10_000)).toBe(15)
    expect(plan.maxCopies).toBe(20)
  })

  test('ramps from the previous copies, down to 0', () => {
    const plan = closedPlan([Simulation.keepConstant(4, 2), Simulation.rampingConstant(0, 4)])
    expect(transitions(plan)).toEqual([
      [0, 0, 4],
      [2500, 4, 3],
      [3500, 3, 2],
      [4500, 2, 1],
      [5500, 1, 0],
    ])
    expect(plan.copiesAt(5999)).toBe(0)
  })

  test('a ramp to the copies it already has changes nothing', () => {
    const plan = closedPlan([Simulation.keepConstant(5, 1), Simulation.rampingConstant(5, 3)])
    expect(plan.changePointsMs()).toEqual([0, 4000])
    expect(plan.copiesAt(2500)).toBe(5)
  })

  test('change points are exact with awkward numbers: copies change at each point and nowhere else', () => {
    const plan = closedPlan([
      Simulation.keepConstant(3, '1.7s'),
      Simulation.rampingConstant(97, '3.3s'),
      Simulation.pause(0.1),
      Simulation.rampingConstant(41, '7.77s'),
      Simulation.rampingConstant(2, '0.9s'),
    ])
    const points = plan.changePointsMs()
    expect(points).toHaveLength(1 + 94 + 1 + 41 + 39 + 1)
    let previousMs = Number.NEGATIVE_INFINITY
    let previousCopies = 0
    for (const pointMs of points) {
      expect(pointMs).toBeGreaterThan(previousMs)
      expect(plan.copiesAt(justBefore(pointMs))).toBe(previousCopies)
      const copies = plan.copiesAt(pointMs)
      expect(copies).not.toBe(previousCopies)
      if (previousMs >= 0) expect(plan.copiesAt((previousMs + pointMs) / 2)).toBe(previousCopies)
      previousMs = pointMs
      previousCopies = copies
    }
    expect(previousCopies).toBe(0)
    expect(plan.maxCopies).toBe(97)
  })

  test('copies follow the line from the previous value, rounded', () => {
    const plan = closedPlan([Simulation.keepConstant(7, 1), Simulation.rampingConstant(30, 10)])
    for (let t = 1000; t < 11_000; t += 37) {
      const line = 7 + (23 * (t - 1000)) / 10_000
      if (Math.abs(line - Math.round(line) - 0.5) > 1e-9) expect(plan.copiesAt(t)).toBe(Math.round(line))
    }
  })
})

describe('pause in a closed plan', () => {
  test('holds 0 copies, and a ramp after it starts from 0', () => {
    const plan = closedPlan([Simulation.keepConstant(5, 1), Simulation.pause(1), Simulation.rampingConstant(2, 2)])
    expect(plan.durationMs).toBe(4000)
    expect(transitions(plan)).toEqual([
      [0, 0, 5],
      [1000, 5, 0],
      [2500, 0, 1],
      [3500, 1, 2],
      [4000, 2, 0],
    ])
  })

  test('a zero-length pause still resets where a ramp starts', () => {
    const plan = closedPlan([Simulation.keepConstant(4, 1), Simulation.pause(0), Simulation.rampingConstant(4, 4)])
    expect(plan.copiesAt(1000)).toBe(0)
    expect(plan.copiesAt(1500)).toBe(1)
  })
})

describe('iterationsForConstant', () => {
  test('has no end time, an iteration limit, and constant copies', () => {
    const plan = closedPlan([Simulation.iterationsForConstant(4, 1000)])
    expect(plan.durationMs).toBe(Number.POSITIVE_INFINITY)
    expect(plan.iterationLimit).toBe(1000)
    expect(plan.maxCopies).toBe(4)
    expect([0, 1e9, 1e15].map((t) => plan.copiesAt(t))).toEqual([4, 4, 4])
    expect(plan.copiesAt(-1)).toBe(0)
    expect(plan.changePointsMs()).toEqual([0])
  })
})
