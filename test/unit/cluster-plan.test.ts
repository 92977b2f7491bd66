/**
 * The session plan: everything a coordinator session computes from its
 * options alone, checked without a clock, a transport or an agent.
 */
import { describe, expect, it } from 'vitest'
import { Response, Scenario, Simulation, resolveConfig, type LoadspecConfigInput } from '../../src/index.js'
import { ClusterError } from '../../src/cluster/index.js'
import { assignBody, backoffMs, planSession } from '../../src/cluster/coordinator/plan.js'

function config(overrides: LoadspecConfigInput = {}) {
  return resolveConfig({ argv: [], env: {}, builder: { nodeType: 'Coordinator', enableLocalDevCluster: true, agentsCount: 3, reportsEnabled: false, ...overrides } })
}

const browse = Scenario.create('browse', () => Response.ok())
  .withWarmUpDuration('2s')
  .withGracefulStop('1s')
  .withLoadSimulations(Simulation.inject(10, 1, '20s'))
const health = Scenario.create('health', () => Response.ok()).withLoadSimulations(Simulation.keepConstant(1, '5s'))
const seed = Scenario.create('seed', () => Response.ok()).withLoadSimulations(Simulation.iterationsForConstant(1, 10))

describe('planSession', () => {
  it('places the scenarios, gives every agent slot its partition and the load shape it is assigned, and keeps the coordinator\'s own with their code', () => {
    const plan = planSession({ scenarios: [browse, health], config: config({ agentTargetScenarios: ['browse'], coordinatorTargetScenarios: ['health'] }) })
    expect(plan.slots.map((slot) => [slot.index, slot.scenarios, slot.partition])).toEqual([
      [0, ['browse'], { number: 0, count: 3 }],
      [1, ['browse'], { number: 1, count: 3 }],
      [2, ['browse'], { number: 2, count: 3 }],
    ])
    expect(plan.slots[0]?.wireScenarios).toEqual([
      { name: 'browse', settings: { loadSimulations: [...browse.settings.loadSimulations], warmUpMs: 2000, iterationTimeoutMs: browse.settings.iterationTimeoutMs, gracefulStopMs: 1000, maxConcurrency: browse.settings.maxConcurrency, weight: 1 } },
    ])
    expect(plan.localScenarios).toEqual([health])
    expect(plan.placement.coordinator).toEqual(['health'])
    // Warm-up 2 s + plan 20 s + graceful stop 1 s; the series interval follows the longest plan (22 s ≤ 120 s).
    expect(plan.longestAgentLoadMs).toBe(23_000)
    expect(plan.seriesIntervalMs).toBe(1000)
    expect(plan.gracefulStopMs).toBe(5000)
  })

  it('takes ReportingIntervalMs when set, and has no load deadline for iteration-bound plans', () => {
    const plan = planSession({ scenarios: [seed], config: config({ agentsCount: 1, reportingIntervalMs: 250 }), interimIntervalMs: 300 })
    expect(plan.seriesIntervalMs).toBe(250)
    expect(plan.interimIntervalMs).toBe(300)
    expect(plan.longestAgentLoadMs).toBe(Infinity)
  })

  it('derives the reservation timing from HeartbeatIntervalMs: one heartbeat to answer, a lease of three', () => {
    const plan = planSession({ scenarios: [browse], config: config({ heartbeatIntervalMs: 400, agentLostTimeoutMs: 2000, clusterCommandTimeoutMs: 9000 }) })
    expect(plan.reservation).toEqual({ answerWindowMs: 400, leaseMs: 1200, backoffBaseMs: 100, backoffMaxMs: 2000 })
    expect([plan.heartbeatIntervalMs, plan.agentLostTimeoutMs, plan.clusterCommandTimeoutMs]).toEqual([400, 2000, 9000])
  })

  it('reports targeting mistakes before anything is sent', () => {
    expect(() => planSession({ scenarios: [browse], config: config({ targetScenarios: ['nope'] }) })).toThrow(ClusterError)
    expect(() => planSession({ scenarios: [], config: config() })).toThrow(/There is no scenario to run/)
  })

  it('builds the assign for a slot and the process that fills it', () => {
    const plan = planSession({ scenarios: [browse], config: config({ agentsCount: 2, agentTargetScenarios: ['browse'], heartbeatIntervalMs: 500 }) })
    const slot = plan.slots[1]
    if (slot === undefined) throw new Error('no slot 1')
    const body = assignBody(plan, slot, { sessionId: 's', agentId: 'a-2', agentInstanceId: 'i-2', exchange: 1, coordinatorHost: 'h', coordinatorPid: 9 })
    expect(body).toMatchObject({ sessionId: 's', agentId: 'a-2', agentInstanceId: 'i-2', exchange: 1, coordinatorHost: 'h', coordinatorPid: 9, partition: { number: 1, count: 2 }, heartbeatIntervalMs: 500 })
    expect(body.scenarios.map((entry) => entry.name)).toEqual(['browse'])
    expect(body.coordinatorLostTimeoutMs).toBe(plan.agentLostTimeoutMs)
  })
})

describe('the reservation back-off', () => {
  const timing = planSession({ scenarios: [browse], config: config() }).reservation

  it('waits a random share of a ceiling that doubles with every failure, up to its maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((failures) => backoffMs(timing, failures, () => 1))).toEqual([100, 200, 400, 800, 1600, 2000, 2000])
    expect(backoffMs(timing, 3, () => 0)).toBe(0)
    expect(backoffMs(timing, 3, () => 0.5)).toBe(200)
  })
})
