import { describe, expect, it } from 'vitest'
import { ClusterError, placeScenarios, type PlacementInput } from '../../src/cluster/index.js'

const scenarios = (...entries: [string, number][]) => entries.map(([name, weight]) => ({ name, weight }))

function place(input: Partial<PlacementInput> & Pick<PlacementInput, 'scenarios' | 'agentsCount'>) {
  return placeScenarios({ targetScenarios: [], agentTargetScenarios: [], coordinatorTargetScenarios: [], ...input })
}

describe('scenario placement (the seed targeting rules)', () => {
  it('runs CoordinatorTargetScenarios on the coordinator only and AgentTargetScenarios on every agent', () => {
    const placement = place({
      scenarios: scenarios(['http-source', 1], ['kafka-consumer', 1]),
      agentsCount: 3,
      coordinatorTargetScenarios: ['http-source'],
      agentTargetScenarios: ['kafka-consumer'],
    })
    expect(placement.coordinator).toEqual(['http-source'])
    expect(placement.agents).toEqual([
      { scenarios: ['kafka-consumer'], partition: { number: 0, count: 3 } },
      { scenarios: ['kafka-consumer'], partition: { number: 1, count: 3 } },
      { scenarios: ['kafka-consumer'], partition: { number: 2, count: 3 } },
    ])
  })

  it('applies TargetScenarios to every role', () => {
    const placement = place({
      scenarios: scenarios(['a', 1], ['b', 1], ['c', 1]),
      agentsCount: 1,
      targetScenarios: ['a', 'c'],
      coordinatorTargetScenarios: ['b', 'c'],
    })
    expect(placement.coordinator).toEqual(['c'])
    expect(placement.agents).toEqual([{ scenarios: ['a'], partition: { number: 0, count: 1 } }])
  })

  it('spreads the rest by weight: heaviest first onto the least loaded agent, each scenario on one agent', () => {
    const placement = place({ scenarios: scenarios(['light-a', 1], ['heavy', 2], ['light-b', 1]), agentsCount: 2 })
    expect(placement.coordinator).toEqual([])
    expect(placement.agents).toEqual([
      { scenarios: ['heavy'], partition: { number: 0, count: 1 } },
      { scenarios: ['light-a', 'light-b'], partition: { number: 0, count: 1 } },
    ])
  })

  it('gives extra agents to scenarios in proportion to weight, so no agent idles and partitions stay exact', () => {
    const placement = place({ scenarios: scenarios(['browse', 3], ['checkout', 1]), agentsCount: 6 })
    // 2 extra agents on top of one each: 3:1 → browse gets 1.5 → largest remainder gives browse 2 extra.
    expect(placement.agents.map((agent) => `${agent.scenarios.join()}:${agent.partition.number}/${agent.partition.count}`)).toEqual([
      'browse:0/4',
      'browse:1/4',
      'browse:2/4',
      'browse:3/4',
      'checkout:0/2',
      'checkout:1/2',
    ])
  })

  it('leaves agents without work when everything runs on the coordinator', () => {
    const placement = place({ scenarios: scenarios(['a', 1]), agentsCount: 2, coordinatorTargetScenarios: ['a'] })
    expect(placement.agents.map((agent) => agent.scenarios)).toEqual([[], []])
  })

  it('refuses a scenario that would run nowhere when AgentTargetScenarios is set', () => {
    const attempt = () => place({ scenarios: scenarios(['a', 1], ['b', 1], ['c', 1]), agentsCount: 2, agentTargetScenarios: ['a'], coordinatorTargetScenarios: ['b'] })
    expect(attempt).toThrow(ClusterError)
    expect(attempt).toThrow(/Scenario "c" would run nowhere: AgentTargetScenarios is set \("a"\)/)
  })

  it('refuses target lists naming unregistered scenarios, listing what is registered', () => {
    expect(() => place({ scenarios: scenarios(['a', 1]), agentsCount: 1, agentTargetScenarios: ['nope'] })).toThrow(
      'AgentTargetScenarios names "nope" but no such scenario is registered; registered: "a"',
    )
    expect(() => place({ scenarios: scenarios(['a', 1]), agentsCount: 1, coordinatorTargetScenarios: ['x', 'y'] })).toThrow(/CoordinatorTargetScenarios names "x", "y"/)
  })
})
