/**
 * Which node runs which scenario: LoadStrike's scenario targeting rules, as
 * a pure function of names, weights and the agent count.
 *
 * - TargetScenarios filters every role (a name it lists must be registered).
 * - CoordinatorTargetScenarios run on the coordinator and never on agents.
 * - AgentTargetScenarios, when set, run on every agent, and agents run only
 *   those; a targeted scenario in neither list would then run nowhere, which
 *   is an error rather than a silent skip.
 * - Otherwise the remaining scenarios are spread over the agents by weight:
 *   with at least as many scenarios as agents, each scenario goes to one
 *   agent, heaviest first, onto the agent with the least weight so far; with
 *   more agents than scenarios, every scenario gets one agent and the extra
 *   agents go to scenarios in proportion to weight, so no agent idles.
 *
 * Each agent's partition is its place among the agents that run its
 * scenarios. The spread above makes that one set per agent (an agent either
 * shares all its scenarios with the same agents or runs them alone), so
 * ctx.partition is exact for every scenario an agent runs.
 */
import type { Partition } from '../engine/context.js'
import { ClusterError, quoteList } from './errors.js'

export interface PlacementInput {
  /** Registered scenarios, in registration order. */
  readonly scenarios: readonly { readonly name: string; readonly weight: number }[]
  readonly targetScenarios: readonly string[]
  readonly agentTargetScenarios: readonly string[]
  readonly coordinatorTargetScenarios: readonly string[]
  readonly agentsCount: number
}

export interface AgentPlacement {
  readonly scenarios: readonly string[]
  readonly partition: Partition
}

export interface Placement {
  /** Scenarios the coordinator runs itself (partition 0 of 1: they run nowhere else). */
  readonly coordinator: readonly string[]
  /** One entry per agent slot, in slot order. */
  readonly agents: readonly AgentPlacement[]
}

const ALONE: Partition = { number: 0, count: 1 }

export function placeScenarios(input: PlacementInput): Placement {
  const registered = input.scenarios.map((scenario) => scenario.name)
  assertKnown('TargetScenarios', input.targetScenarios, registered)
  assertKnown('CoordinatorTargetScenarios', input.coordinatorTargetScenarios, registered)
  assertKnown('AgentTargetScenarios', input.agentTargetScenarios, registered)
  if (!Number.isInteger(input.agentsCount) || input.agentsCount < 1) {
    throw new ClusterError('placement', `AgentsCount must be a positive integer for a cluster run, got ${input.agentsCount}`)
  }

  const targeted = input.targetScenarios.length === 0 ? input.scenarios : input.scenarios.filter((s) => input.targetScenarios.includes(s.name))
  const coordinator = targeted.filter((s) => input.coordinatorTargetScenarios.includes(s.name)).map((s) => s.name)
  const forAgents = targeted.filter((s) => !coordinator.includes(s.name))

  if (input.agentTargetScenarios.length > 0) {
    const everywhere = forAgents.filter((s) => input.agentTargetScenarios.includes(s.name)).map((s) => s.name)
    const nowhere = forAgents.filter((s) => !everywhere.includes(s.name)).map((s) => s.name)
    if (nowhere.length > 0) {
      throw new ClusterError(
        'placement',
        `Scenario ${quoteList(nowhere)} would run nowhere: AgentTargetScenarios is set (${quoteList(input.agentTargetScenarios)}), ` +
          `so agents run only those, and CoordinatorTargetScenarios (${quoteList(input.coordinatorTargetScenarios)}) does not name it. ` +
          'Add it to one of the two lists, or leave it out with TargetScenarios.',
      )
    }
    return {
      coordinator,
      agents: range(input.agentsCount).map((index) => ({ scenarios: everywhere, partition: { number: index, count: input.agentsCount } })),
    }
  }
  return { coordinator, agents: spreadByWeight(forAgents, input.agentsCount) }
}

function spreadByWeight(scenarios: readonly { name: string; weight: number }[], agentsCount: number): AgentPlacement[] {
  if (scenarios.length === 0) return range(agentsCount).map(() => ({ scenarios: [], partition: ALONE }))
  if (scenarios.length >= agentsCount) return packByWeight(scenarios, agentsCount)
  return shareAgentsByWeight(scenarios, agentsCount)
}

/** Each scenario on one agent: heaviest first, onto the least loaded agent (lowest slot on ties). */
function packByWeight(scenarios: readonly { name: string; weight: number }[], agentsCount: number): AgentPlacement[] {
  const load = range(agentsCount).map(() => 0)
  const owner = new Map<string, number>()
  const heaviestFirst = scenarios.map((scenario, order) => ({ ...scenario, order })).sort((a, b) => b.weight - a.weight || a.order - b.order)
  for (const scenario of heaviestFirst) {
    let target = 0
    for (let slot = 1; slot < agentsCount; slot++) if ((load[slot] ?? 0) < (load[target] ?? 0)) target = slot
    load[target] = (load[target] ?? 0) + scenario.weight
    owner.set(scenario.name, target)
  }
  // Keep registration order inside each agent's list.
  return range(agentsCount).map((slot) => ({ scenarios: scenarios.filter((s) => owner.get(s.name) === slot).map((s) => s.name), partition: ALONE }))
}

/** Every scenario gets one agent, the extra agents go by weight (largest remainder); each agent runs one scenario. */
function shareAgentsByWeight(scenarios: readonly { name: string; weight: number }[], agentsCount: number): AgentPlacement[] {
  const extra = agentsCount - scenarios.length
  const totalWeight = scenarios.reduce((sum, s) => sum + s.weight, 0)
  const quotas = scenarios.map((s) => (extra * s.weight) / totalWeight)
  const counts = quotas.map((quota) => 1 + Math.floor(quota))
  let left = agentsCount - counts.reduce((a, b) => a + b, 0)
  const byRemainder = quotas.map((quota, index) => ({ index, remainder: quota - Math.floor(quota) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index)
  for (const { index } of byRemainder) {
    if (left === 0) break
    counts[index] = (counts[index] ?? 0) + 1
    left--
  }
  const placements: AgentPlacement[] = []
  scenarios.forEach((scenario, index) => {
    const count = counts[index] ?? 1
    for (let number = 0; number < count; number++) placements.push({ scenarios: [scenario.name], partition: { number, count } })
  })
  return placements
}

function assertKnown(key: string, names: readonly string[], registered: readonly string[]): void {
  const unknown = names.filter((name) => !registered.includes(name))
  if (unknown.length === 0) return
  throw new ClusterError('placement', `${key} names ${quoteList(unknown)} but no such scenario is registered; registered: ${quoteList(registered)}`)
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index)
}
