/**
 * toHaveHealthyLoadGenerator: whether every node's timing can be trusted.
 * It reads the nodes of a RunResult (not a scenario's stats): event-loop
 * delay, CPU use and open-model start lag, against GENERATOR_LIMITS.
 */
import { cpuShare, generatorLimits, generatorProblems, type GeneratorLimits, type LoadGeneratorUsage } from '../src/result/generator.js'
import { isRunResult, type NodeInfo } from '../src/result/result.js'
import { describeValue } from './subject.js'
import type { MatcherContext, MatcherResult } from './types.js'

export function toHaveHealthyLoadGenerator(this: MatcherContext, received: unknown, limitOverrides?: Partial<GeneratorLimits>): MatcherResult {
  const name = 'toHaveHealthyLoadGenerator'
  const limits = generatorLimits(limitOverrides, name)
  if (!isRunResult(received)) {
    throw new TypeError(`${name} needs a RunResult (the generator's figures are per node, not per scenario); got ${describeValue(received)}`)
  }
  const measured = received.nodes.filter((node): node is NodeInfo & { generator: LoadGeneratorUsage } => node.generator !== undefined)
  if (measured.length === 0) {
    throw new Error(`${name}: no node of this RunResult reported load generator figures (lost nodes and results saved before version 2 have none)`)
  }
  const saturated = measured.filter((node) => generatorProblems(node.generator, limits).length > 0)
  return {
    pass: saturated.length === 0,
    message: () => {
      const lines = this.isNot
        ? [`expected a node's load generator to be saturated, but every node's was healthy:`]
        : [
            `expected every node's load generator to be healthy, but ${saturated
              .map((node) => `node ${node.nodeId} was saturated: ${generatorProblems(node.generator, limits).join(', ')}`)
              .join('; ')}.`,
            'Its latency figures include its own delays: give the load more processes or agents, or make the handler cheaper.',
          ]
      return [...lines, '', ...measured.map((node) => `  ${node.nodeId} (${node.nodeType}): ${figures(node.generator)}`), '', limitsLine(limits)].join('\n')
    },
  }
}

function figures(usage: LoadGeneratorUsage): string {
  const parts = [`CPU ${(cpuShare(usage) * 100).toFixed(0)} % of a core`]
  if (usage.eventLoopDelayMs !== undefined) parts.push(`event-loop delay p99 ${usage.eventLoopDelayMs.p99.toFixed(1)} ms, max ${usage.eventLoopDelayMs.max.toFixed(1)} ms`)
  if (usage.startLagMs !== undefined) parts.push(`start lag p99 ${usage.startLagMs.p99.toFixed(1)} ms`)
  return parts.join(' · ')
}

function limitsLine(limits: GeneratorLimits): string {
  const { eventLoopDelayP99Ms, cpuShare: cpu, startLagP99Ms } = limits
  return `limits: event-loop delay p99 ${eventLoopDelayP99Ms} ms, CPU ${cpu * 100} % of a core, open-model start lag p99 ${startLagP99Ms} ms`
}
