import { describe, expect, test } from 'vitest'
import { Simulation, compilePlan, type LoadSimulation, type OpenPlan } from '../../src/simulations/index.js'

function openPlan(simulations: LoadSimulation[], random?: () => number): OpenPlan {
  const plan = compilePlan(simulations, random)
  if (plan.model !== 'open') throw new Error(`expected an open plan, got ${plan.model}`)
  return plan
}

/** mulberry32: a small seeded generator, so random plans are reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Returns the given fractions in turn, then repeats the last. */
function fixedRandom(...fractions: number[]): () => number {
  let next = 0
  return () => fractions[Math.min(next++, fractions.length - 1)] as number
}

describe('inject', () => {
  const plan = openPlan([Simulation.inject(100, 1, 30)])

  test('spreads the rate evenly: iteration k is due at k * 10 ms, 3000 in all', () => {
    expect(plan.totalIterations).toBe(3000)
    expect(plan.durationMs).toBe(30_000)
    expect([0, 1, 2, 1234, 2999].map((k) => plan.dueAtMs(k))).toEqual([0, 10, 20, 12_340, 29_990])
    expect(plan.dueAtMs(3000)).toBe(Number.POSITIVE_INFINITY)
  })

  test('counts what should have started by a time, due times included', () => {
    expect(plan.startedBy(-1)).toBe(0)
    expect(plan.startedBy(0)).toBe(1)
    expect(plan.startedBy(9.99)).toBe(1)
    expect(plan.startedBy(10)).toBe(2)
    expect(plan.startedBy(1000)).toBe(101)
    expect(plan.startedBy(29_990)).toBe(3000)
    expect(plan.startedBy(30_000)).toBe(3000)
    expect(plan.startedBy(1e9)).toBe(3000)
  })

  test('reports its rate per second, whatever the interval', () => {
    expect(plan.ratePerSecondAt(15_000)).toBe(100)
    expect(plan.ratePerSecondAt(30_000)).toBe(0)
    expect(openPlan([Simulation.inject(30, '1m', '2m')]).ratePerSecondAt(0)).toBeCloseTo(0.5, 12)
  })

  test('a rate per interval longer than a second', () => {
    const slow = openPlan([Simulation.inject(6, '1m', '10m')])
    expect(slow.totalIterations).toBe(60)
    expect(slow.dueAtMs(1)).toBe(10_000)
    expect(slow.startedBy(59_999)).toBe(6)
  })
})

describe('rampingInject', () => {
  test('the first ramp starts from 0 and its count is the area under the rate', () => {
    // 0 → 100/s over 10 s: E(t) = 5 t² iterations (t in seconds).
    const plan = openPlan([Simulation.rampingInject(100, 1, 10)])
    expect(plan.totalIterations).toBe(500)
    expect(plan.startedBy(1999.999)).toBe(20)
    expect(plan.startedBy(2000)).toBe(21)
    expect(plan.startedBy(5000)).toBe(126)
    expect(plan.startedBy(9999.999)).toBe(500)
    expect(plan.dueAtMs(20)).toBeCloseTo(2000, 9)
    expect(plan.dueAtMs(125)).toBeCloseTo(5000, 9)
    expect(plan.ratePerSecondAt(5000)).toBeCloseTo(50, 9)
  })

  test('ramps from the previous rate: a ramp to 100/s, then 100/s for 10 s', () => {
    const plan = openPlan([Simulation.rampingInject(100, 1, 10), Simulation.inject(100, 1, 10)])
    expect(plan.startedBy(9999.999)).toBe(500)
    // The inject stage's first iteration is due the moment it starts.
    expect(plan.startedBy(10_000)).toBe(501)
    expect(plan.dueAtMs(500)).toBe(10_000)
    expect(plan.startedBy(19_999.999)).toBe(1500)
    expect(plan.startedBy(20_000)).toBe(1500)
    expect(plan.totalIterations).toBe(1500)
  })

  test('a ramp after an inject starts from its rate, up or down', () => {
    const up = openPlan([Simulation.inject(100, 1, 10), Simulation.rampingInject(200, 1, 10)])
    expect(up.startedBy(9999.999)).toBe(1000)
    expect(up.totalIterations).toBe(2500)
    expect(up.startedBy(15_000)).toBe(1000 + 625 + 1)
    expect(up.ratePerSecondAt(15_000)).toBeCloseTo(150, 9)

    const down = openPlan([Simulation.inject(100, 1, 10), Simulation.rampingInject(0, 1, 10)])
    expect(down.totalIterations).toBe(1500)
    expect(down.startedBy(15_000)).toBe(1000 + 375 + 1)
  })

  test('ramps convert rates between intervals', () => {
    // 60 per minute is 1 per second; ramping to 2 per second over 10 s adds 15.
    const plan = openPlan([Simulation.inject(60, '1m', 10), Simulation.rampingInject(2, 1, 10)])
    expect(plan.totalIterations).toBe(25)
  })

  test('chained ramps start from each other', () => {
    const plan = openPlan([Simulation.rampingInject(10, 1, 10), Simulation.rampingInject(30, 1, 10), Simulation.rampingInject(0, 1, 10)])
    expect(plan.totalIterations).toBe(50 + 200 + 150)
    expect(plan.startedBy(19_999.999)).toBe(250)
  })
})

describe('pause in an open plan', () => {
  test('nothing is due during a pause and the next stage starts on time', () => {
    const plan = openPlan([Simulation.inject(10, 1, 2), Simulation.pause(3), Simulation.inject(10, 1, 2)])
    expect(plan.durationMs).toBe(7000)
    expect(plan.totalIterations).toBe(40)
    expect(plan.startedBy(2000)).toBe(20)
    expect(plan.startedBy(4999.999)).toBe(20)
    expect(plan.startedBy(5000)).toBe(21)
    expect(plan.dueAtMs(19)).toBe(1900)
    expect(plan.dueAtMs(20)).toBe(5000)
    expect(plan.ratePerSecondAt(3000)).toBe(0)
  })

  test('a leading pause delays the first iteration', () => {
    const plan = openPlan([Simulation.pause('1s'), Simulation.inject(10, 1, 1)])
    expect(plan.startedBy(0)).toBe(0)
    expect(plan.startedBy(999)).toBe(0)
    expect(plan.dueAtMs(0)).toBe(1000)
    expect(plan.startedBy(1000)).toBe(1)
  })

  test('a ramp after a pause starts from 0', () => {
    const plan = openPlan([Simulation.inject(100, 1, 1), Simulation.pause(1), Simulation.rampingInject(100, 1, 2)])
    expect(plan.totalIterations).toBe(100 + 100)
  })

  test('a trailing pause lengthens the plan but adds nothing', () => {
    const plan = openPlan([Simulation.inject(10, 1, 1), Simulation.pause(2)])
    expect(plan.durationMs).toBe(3000)
    expect(plan.totalIterations).toBe(10)
    expect(plan.startedBy(2500)).toBe(10)
  })

  test('pauses alone make an empty open plan', () => {
    const plan = openPlan([Simulation.pause(2)])
    expect(plan.totalIterations).toBe(0)
    expect(plan.durationMs).toBe(2000)
    expect(plan.startedBy(1000)).toBe(0)
    expect(plan.dueAtMs(0)).toBe(Number.POSITIVE_INFINITY)
  })
})

describe('sequences', () => {
  test('stage times add up and fractional counts carry over from stage to stage', () => {
    const plan = openPlan([Simulation.inject(1.5, 1, 1), Simulation.inject(1.5, 1, 1)])
    expect(plan.durationMs).toBe(2000)
    expect(plan.totalIterations).toBe(3)
    expect(plan.dueAtMs(1)).toBeCloseTo(2000 / 3, 9)
    expect(plan.dueAtMs(2)).toBeCloseTo(4000 / 3, 9)
  })

  test('durations in every form', () => {
    const plan = openPlan([Simulation.inject(10, '500ms', '1m30s'), Simulation.inject(1, 0.5, '250ms')])
    expect(plan.durationMs).toBe(90_250)
    expect(plan.totalIterations).toBe(1800 + 1)
  })
})

describe('injectRandom', () => {
  test('draws one rate per interval, constant within it', () => {
    // Rates per second: 10, 20, 15.
    const plan = openPlan([Simulation.injectRandom(10, 20, 1, 3)], fixedRandom(0, 1, 0.5))
    expect(plan.totalIterations).toBe(45)
    expect(plan.startedBy(999.999)).toBe(10)
    expect(plan.startedBy(1999.999)).toBe(30)
    expect(plan.dueAtMs(10)).toBe(1000)
    expect(plan.dueAtMs(11)).toBeCloseTo(1050, 9)
    expect([500, 1500, 2500].map((t) => plan.ratePerSecondAt(t))).toEqual([10, 20, 15])
  })

  test('a last, shorter interval when during is not a multiple of interval', () => {
    const plan = openPlan([Simulation.injectRandom(10, 20, 1, 2.5)], fixedRandom(0.5))
    expect(plan.totalIterations).toBe(38)
    expect(plan.durationMs).toBe(2500)
  })

  test('the same seed gives the same plan; another seed another one', () => {
    const sims = [Simulation.injectRandom(5, 50, '200ms', '20s')]
    const first = openPlan(sims, seededRandom(42))
    const again = openPlan(sims, seededRandom(42))
    const other = openPlan(sims, seededRandom(7))
    const times = Array.from({ length: 200 }, (_, i) => i * 100)
    expect(times.map((t) => again.startedBy(t))).toEqual(times.map((t) => first.startedBy(t)))
    expect(times.map((t) => other.startedBy(t))).not.toEqual(times.map((t) => first.startedBy(t)))
    expect(first.totalIterations).toBeGreaterThanOrEqual(5 * 100)
    expect(first.totalIterations).toBeLessThanOrEqual(50 * 100)
  })

  test('a rate drawn as 0 starts nothing in its interval', () => {
    const plan = openPlan([Simulation.injectRandom(0, 10, 1, 3)], fixedRandom(1, 0, 1))
    expect(plan.totalIterations).toBe(20)
    expect(plan.startedBy(1500)).toBe(10)
    expect(plan.dueAtMs(10)).toBe(2000)
  })

  test('a following ramp starts from the last interval\'s rate', () => {
    const plan = openPlan([Simulation.injectRandom(0, 100, 1, 2), Simulation.rampingInject(0, 1, 10)], fixedRandom(0.1, 0.4))
    // 10 + 40, then a ramp from 40/s down to 0 over 10 s: 200.
    expect(plan.totalIterations).toBe(250)
  })

  test('Math.random is the default', () => {
    const plan = openPlan([Simulation.injectRandom(10, 10, 1, 2)])
    expect(plan.totalIterations).toBe(20)
  })

  test('a random source out of [0, 1] is refused', () => {
    expect(() => compilePlan([Simulation.injectRandom(1, 2, 1, 2)], () => 2)).toThrow('random() must return a number in [0, 1), got 2')
  })
})

describe('iterationsForInject', () => {
  test('iteration k is due at k * interval / rate, and there are exactly `iterations`', () => {
    const plan = openPlan([Simulation.iterationsForInject(100, 1, 250)])
    expect(plan.totalIterations).toBe(250)
    expect(plan.durationMs).toBe(2500)
    expect(plan.dueAtMs(249)).toBe(2490)
    expect(plan.dueAtMs(250)).toBe(Number.POSITIVE_INFINITY)
    expect(plan.startedBy(2490)).toBe(250)
    expect(plan.startedBy(1005)).toBe(101)
    expect(plan.ratePerSecondAt(100)).toBe(100)
  })

  test('a rate that does not divide evenly still gives exactly `iterations`', () => {
    const plan = openPlan([Simulation.iterationsForInject(3, '7s', 1000)])
    expect(plan.totalIterations).toBe(1000)
    expect(plan.startedBy(plan.durationMs)).toBe(1000)
    expect(plan.startedBy(plan.dueAtMs(999))).toBe(1000)
  })
})

describe('dueAtMs and startedBy agree, for every open kind', () => {
  const plans: [string, () => OpenPlan][] = [
    ['inject', () => openPlan([Simulation.inject(100, 1, 30)])],
    ['inject, odd numbers', () => openPlan([Simulation.inject(7, '3s', '1m'), Simulation.inject(13.3, '700ms', '9.1s')])],
    ['rampingInject up', () => openPlan([Simulation.rampingInject(100, 1, 10)])],
    ['rampingInject after inject, odd numbers', () => openPlan([Simulation.inject(17, 1, 3), Simulation.rampingInject(333, '700ms', '13.7s')])],
    ['rampingInject down to 0', () => openPlan([Simulation.inject(250, 1, 2), Simulation.rampingInject(0, 1, '7.3s')])],
    ['rampingInject chain with pauses', () => openPlan([Simulation.rampingInject(3, 1, 11), Simulation.pause(0.4), Simulation.rampingInject(71, '1.3s', 5), Simulation.rampingInject(9, 1, 6)])],
    ['injectRandom', () => openPlan([Simulation.injectRandom(0, 90, '300ms', '40s')], seededRandom(1))],
    ['injectRandom then ramp', () => openPlan([Simulation.injectRandom(20, 40, 1, 5.5), Simulation.rampingInject(1, 1, 4)], seededRandom(99))],
    ['iterationsForInject', () => openPlan([Simulation.iterationsForInject(3, '1s', 1000)])],
    ['iterationsForInject, fast', () => openPlan([Simulation.iterationsForInject(977, '100ms', 20_000)])],
  ]

  test.each(plans)('%s', (_name, makePlan) => {
    const plan = makePlan()
    const total = plan.totalIterations
    expect(total).toBeGreaterThan(0)
    let previousDueMs = Number.NEGATIVE_INFINITY
    for (let k = 0; k < total; k++) {
      const dueMs = plan.dueAtMs(k)
      expect(dueMs).toBeGreaterThanOrEqual(previousDueMs)
      expect(dueMs).toBeLessThan(plan.durationMs)
      expect(plan.startedBy(dueMs)).toBeGreaterThanOrEqual(k + 1)
      // Between two due times exactly k have started.
      if (dueMs > previousDueMs && k > 0) expect(plan.startedBy((previousDueMs + dueMs) / 2)).toBe(k)
      previousDueMs = dueMs
    }
    expect(plan.dueAtMs(total)).toBe(Number.POSITIVE_INFINITY)
    expect(plan.startedBy(plan.durationMs)).toBe(total)
    expect(plan.startedBy((previousDueMs + plan.durationMs) / 2)).toBe(total)
  })

  test('on a plan of millions of iterations, sampled', () => {
    const plan = openPlan([Simulation.rampingInject(5000, 1, '10m'), Simulation.inject(5000, 1, '1h'), Simulation.rampingInject(100, 1, '10m')])
    expect(plan.totalIterations).toBe(1_500_000 + 18_000_000 + 1_530_000)
    const random = seededRandom(3)
    for (let sample = 0; sample < 20_000; sample++) {
      const k = Math.floor(random() * plan.totalIterations)
      const dueMs = plan.dueAtMs(k)
      expect(plan.startedBy(dueMs)).toBeGreaterThanOrEqual(k + 1)
      if (k > 0) {
        const previousDueMs = plan.dueAtMs(k - 1)
        expect(previousDueMs).toBeLessThanOrEqual(dueMs)
        if (previousDueMs < dueMs) expect(plan.startedBy((previousDueMs + dueMs) / 2)).toBe(k)
      }
    }
    // Stage boundaries are exact.
    expect(plan.startedBy(600_000 - 0.001)).toBe(1_500_000)
    expect(plan.dueAtMs(1_500_000)).toBe(600_000)
    expect(plan.dueAtMs(19_500_000)).toBe(4_200_000)
  })

  test('billions of iterations need no per-iteration memory', () => {
    const plan = openPlan([Simulation.inject(1_000_000, 1, '1h')])
    expect(plan.totalIterations).toBe(3_600_000_000)
    expect(plan.dueAtMs(3_599_999_999)).toBeCloseTo(3_599_999.999, 6)
    expect(plan.startedBy(plan.dueAtMs(3_599_999_999))).toBe(3_600_000_000)
  })

  test('dueAtMs refuses an index that is not a whole number of 0 or more', () => {
    const plan = openPlan([Simulation.inject(1, 1, 1)])
    expect(() => plan.dueAtMs(-1)).toThrow(RangeError)
    expect(() => plan.dueAtMs(0.5)).toThrow('dueAtMs: index must be an integer of 0 or more, got 0.5')
  })
})
