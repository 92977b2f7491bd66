/**
 * The load generator's own health on one node: what running the load cost
 * its process, and how late its event loop and its open-model schedule ran.
 * A saturated generator measures itself as much as the target (an open
 * model's latency counts from the intended start, so its own delays are in
 * every figure); the limits below say when a node's timing is not to be
 * trusted (docs/budgets.md).
 */
import { z } from 'zod'

/** Three figures of a delay, in ms. */
export interface DelaySummary {
  readonly p50: number
  readonly p99: number
  readonly max: number
}

/**
 * The load generator's cost and timing on one node, over the load's wall
 * time: CPU share of one core = (cpuUserMs + cpuSystemMs) / wallMs.
 */
export interface LoadGeneratorUsage {
  readonly wallMs: number
  readonly cpuUserMs: number
  readonly cpuSystemMs: number
  /** Share of the wall time the event loop was busy, 0..1 (Node's eventLoopUtilization). */
  readonly eventLoopUtilization: number
  /** How late the event loop ran, sampled every 10 ms (Node's monitorEventLoopDelay); absent in older results. */
  readonly eventLoopDelayMs?: DelaySummary
  /** Start lag of every open-model iteration on the node (all its scenarios); absent without an open model. */
  readonly startLagMs?: DelaySummary
}

/**
 * Above any of these, a node's generator is saturated: its figures include
 * its own delays. Chosen so that a light load on a busy 2-core CI machine
 * (other processes preempting this one: event-loop delay p99 4-44 ms,
 * start lag p99 12-130 ms measured at 20 iterations/s) is mostly not
 * flagged while a generator that cannot keep up is (a handler blocking the
 * loop 30 ms at 100/s: delay p99 > 1 s). Pass tighter limits to
 * toHaveHealthyLoadGenerator for tight latency budgets.
 */
export interface GeneratorLimits {
  /** A loop this late at its p99 delays timers, socket reads and iteration starts by as much. */
  readonly eventLoopDelayP99Ms: number
  /** Share of one core (Node runs JavaScript on one): above it, there is no headroom left. */
  readonly cpuShare: number
  /** The timer scheduler's own start lag p99 is about 1 ms; this much means iterations queue behind work. */
  readonly startLagP99Ms: number
}

export const GENERATOR_LIMITS: GeneratorLimits = { eventLoopDelayP99Ms: 50, cpuShare: 0.9, startLagP99Ms: 50 }

const nonNegative = z.number().finite().nonnegative()
const delaySummarySchema = z.object({ p50: nonNegative, p99: nonNegative, max: nonNegative })

export const loadGeneratorUsageSchema = z.object({
  wallMs: nonNegative,
  cpuUserMs: nonNegative,
  cpuSystemMs: nonNegative,
  eventLoopUtilization: z.number().min(0).max(1),
  eventLoopDelayMs: delaySummarySchema.optional(),
  startLagMs: delaySummarySchema.optional(),
})

/** CPU time of the load as a share of one core, 0 when no time passed. */
export function cpuShare(usage: LoadGeneratorUsage): number {
  return usage.wallMs > 0 ? (usage.cpuUserMs + usage.cpuSystemMs) / usage.wallMs : 0
}

/** Shorter loads are not judged: start-up (compiling, first connections) would be most of their figures. */
export const MIN_JUDGED_WALL_MS = 1000

/** Every limit the node's figures break, each naming the figure and its limit; empty when healthy or too short to judge. */
export function generatorProblems(usage: LoadGeneratorUsage, limits: GeneratorLimits = GENERATOR_LIMITS): string[] {
  const problems: string[] = []
  if (usage.wallMs < MIN_JUDGED_WALL_MS) return problems
  const loopP99 = usage.eventLoopDelayMs?.p99
  if (loopP99 !== undefined && loopP99 > limits.eventLoopDelayP99Ms) {
    problems.push(`event-loop delay p99 ${loopP99.toFixed(1)} ms (limit ${limits.eventLoopDelayP99Ms} ms)`)
  }
  const cpu = cpuShare(usage)
  if (cpu > limits.cpuShare) problems.push(`CPU ${(cpu * 100).toFixed(0)} % of a core (limit ${limits.cpuShare * 100} %)`)
  const lagP99 = usage.startLagMs?.p99
  if (lagP99 !== undefined && lagP99 > limits.startLagP99Ms) {
    problems.push(`open-model start lag p99 ${lagP99.toFixed(1)} ms (limit ${limits.startLagP99Ms} ms)`)
  }
  return problems
}

/** Limits of a matcher call over the defaults, checked: each must be a positive number. */
export function generatorLimits(overrides: Partial<GeneratorLimits> | undefined, where: string): GeneratorLimits {
  const limits = { ...GENERATOR_LIMITS, ...overrides }
  for (const [key, value] of Object.entries(limits)) {
    if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
      throw new TypeError(`${where}: limits.${key} must be a positive number, got ${JSON.stringify(value) ?? String(value)}`)
    }
  }
  const unknown = Object.keys(overrides ?? {}).filter((key) => !(key in GENERATOR_LIMITS))
  if (unknown.length > 0) throw new TypeError(`${where}: unknown limit ${unknown.join(', ')}; limits are ${Object.keys(GENERATOR_LIMITS).join(', ')}`)
  return limits
}

/** One warning per saturated node. */
export function generatorWarnings(nodes: readonly { readonly nodeId: string; readonly generator?: LoadGeneratorUsage }[]): string[] {
  return nodes.flatMap((node) => {
    const problems = node.generator === undefined ? [] : generatorProblems(node.generator)
    if (problems.length === 0) return []
    return [`load generator saturated on node ${node.nodeId}: ${problems.join(', ')}; its latency figures include its own delays (docs/budgets.md)`]
  })
}
