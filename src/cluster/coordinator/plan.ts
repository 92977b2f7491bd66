/**
 * What a coordinator session computes from its options alone, before any
 * message is sent: who runs which scenario (placement), the load shape each
 * agent slot is assigned, the one series interval every node uses, how long
 * the load may take, and the reservation timing. Pure and immutable, so it
 * is tested without a clock or a transport (as k6 keeps an executor's config
 * apart from its run).
 */
import type { LoadspecConfig } from '../../config/index.js'
import type { Partition } from '../../engine/context.js'
import type { Scenario } from '../../engine/scenario.js'
import { defaultSeriesIntervalMs } from '../../engine/series-collector.js'
import { selectTargetScenarios } from '../../engine/targeting.js'
import { ClusterError } from '../errors.js'
import { placeScenarios, type Placement } from '../placement.js'
import type { MessageBody, WireScenarioSettings } from '../protocol/messages.js'
import { expectedLoadMs, planLengthMs, wireSettings } from './load-shape.js'

export interface PlanInput {
  /** The scenarios registered on the coordinator: their names and load shapes are what agents get. */
  readonly scenarios: readonly Scenario[]
  readonly config: LoadspecConfig
  /** How often the coordinator's own node takes interim stats and progress is reported at the latest (default 1000 ms); agents send each series interval as it ends. */
  readonly interimIntervalMs?: number
}

/** One agent's part of the session. */
export interface SlotPlan {
  readonly index: number
  readonly scenarios: readonly string[]
  readonly partition: Partition
  /** What its assign carries for each scenario. */
  readonly wireScenarios: readonly { readonly name: string; readonly settings: WireScenarioSettings }[]
}

/** How a coordinator reserves its agents (all or nothing, see reservation.ts). */
export interface ReservationTiming {
  /** How long an attempt waits for every reserved/busy answer before it gives up and releases. */
  readonly answerWindowMs: number
  /** How long an agent keeps a reservation that is neither assigned nor released. */
  readonly leaseMs: number
  /** Back-off after a failed attempt: a random wait up to min(maxMs, baseMs × 2^(failures−1)). */
  readonly backoffBaseMs: number
  readonly backoffMaxMs: number
}

export interface SessionPlan {
  readonly placement: Placement
  /** The coordinator's own scenarios (CoordinatorTargetScenarios), with their code. */
  readonly localScenarios: readonly Scenario[]
  readonly slots: readonly SlotPlan[]
  /** Every targeted scenario by name (for the graceful stop and the deadlines). */
  readonly scenarioNames: readonly string[]
  readonly seriesIntervalMs: number
  readonly interimIntervalMs: number
  /** Warm-up + plan + graceful stop of the longest scenario an agent runs; Infinity for iteration-bound plans. */
  readonly longestAgentLoadMs: number
  /** The longest graceful stop of any targeted scenario. */
  readonly gracefulStopMs: number
  readonly heartbeatIntervalMs: number
  readonly agentLostTimeoutMs: number
  readonly clusterCommandTimeoutMs: number
  readonly reservation: ReservationTiming
}

export const DEFAULT_INTERIM_INTERVAL_MS = 1000
/** A reservation outlives the answer window by this many heartbeats: time for the assign to arrive. */
const LEASE_HEARTBEATS = 3
const BACKOFF_BASE_MS = 100
const BACKOFF_MAX_MS = 2000

export function planSession(input: PlanInput): SessionPlan {
  const { config, scenarios } = input
  const placement = placeScenarios({
    scenarios: scenarios.map((scenario) => ({ name: scenario.name, weight: scenario.settings.weight })),
    targetScenarios: config.targetScenarios,
    agentTargetScenarios: config.agentTargetScenarios,
    coordinatorTargetScenarios: config.coordinatorTargetScenarios,
    agentsCount: config.agentsCount,
  })
  const targeted = selectTargetScenarios(scenarios, config.targetScenarios)
  if (targeted.length === 0) throw new ClusterError('placement', 'There is no scenario to run: register at least one scenario')
  const byName = new Map(targeted.map((scenario) => [scenario.name, scenario]))
  const scenarioOf = (name: string): Scenario => byName.get(name) as Scenario
  const slots = placement.agents.map(
    (agent, index): SlotPlan => ({
      index,
      scenarios: agent.scenarios,
      partition: agent.partition,
      wireScenarios: agent.scenarios.map((name) => ({ name, settings: wireSettings(scenarioOf(name)) })),
    }),
  )
  const heartbeatIntervalMs = config.heartbeatIntervalMs
  return {
    placement,
    localScenarios: placement.coordinator.map(scenarioOf),
    slots,
    scenarioNames: targeted.map((scenario) => scenario.name),
    seriesIntervalMs: config.reportingIntervalMs ?? defaultSeriesIntervalMs(Math.max(0, ...targeted.map(planLengthMs))),
    interimIntervalMs: input.interimIntervalMs ?? DEFAULT_INTERIM_INTERVAL_MS,
    longestAgentLoadMs: Math.max(0, ...slots.flatMap((slot) => slot.scenarios.map((name) => expectedLoadMs(scenarioOf(name))))),
    gracefulStopMs: Math.max(0, ...targeted.map((scenario) => scenario.settings.gracefulStopMs)),
    heartbeatIntervalMs,
    agentLostTimeoutMs: config.agentLostTimeoutMs,
    clusterCommandTimeoutMs: config.clusterCommandTimeoutMs,
    reservation: {
      answerWindowMs: heartbeatIntervalMs,
      leaseMs: LEASE_HEARTBEATS * heartbeatIntervalMs,
      backoffBaseMs: BACKOFF_BASE_MS,
      backoffMaxMs: BACKOFF_MAX_MS,
    },
  }
}

/** The body of the assign for one slot and the agent process that fills it. */
export function assignBody(
  plan: SessionPlan,
  slot: SlotPlan,
  to: {
    readonly sessionId: string
    readonly agentId: string
    readonly agentInstanceId: string
    readonly exchange: number
    readonly coordinatorHost: string
    readonly coordinatorPid: number
  },
): MessageBody<'assign'> {
  return {
    ...to,
    partition: slot.partition,
    scenarios: [...slot.wireScenarios],
    seriesIntervalMs: plan.seriesIntervalMs,
    heartbeatIntervalMs: plan.heartbeatIntervalMs,
    coordinatorLostTimeoutMs: plan.agentLostTimeoutMs,
    finalAckTimeoutMs: plan.clusterCommandTimeoutMs,
  }
}

/** The wait before reservation attempt `failures + 1`: full jitter, so competing coordinators drift apart. */
export function backoffMs(timing: ReservationTiming, failures: number, random: () => number): number {
  const ceilingMs = Math.min(timing.backoffMaxMs, timing.backoffBaseMs * 2 ** Math.max(0, failures - 1))
  return random() * ceilingMs
}
