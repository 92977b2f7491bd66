/**
 * toHaveHealthyLoadGenerator on results whose nodes carry known generator
 * figures: pass, fail naming node and figure, `.not`, tighter limits, and
 * what it refuses. The figures themselves are measured end to end in
 * test/e2e/vitest-budgets.test.ts.
 */
import { describe, expect, test } from 'vitest'
import { registerMatchers } from '../../matchers/index.js'
import { createRunResult, type NodeInfo, type RunResult } from '../../src/index.js'
import type { LoadGeneratorUsage } from '../../src/result/result.js'
import { generatorWarnings } from '../../src/result/generator.js'

registerMatchers(expect)

const healthy: LoadGeneratorUsage = {
  wallMs: 2000,
  cpuUserMs: 150,
  cpuSystemMs: 50,
  eventLoopUtilization: 0.1,
  eventLoopDelayMs: { p50: 0.1, p99: 4.2, max: 9 },
  startLagMs: { p50: 0.6, p99: 1.1, max: 3 },
}
const saturated: LoadGeneratorUsage = { ...healthy, cpuUserMs: 1800, cpuSystemMs: 100, eventLoopDelayMs: { p50: 20, p99: 812.5, max: 1200 } }

function node(nodeId: string, generator?: LoadGeneratorUsage): NodeInfo {
  return { nodeId, nodeType: 'Agent', host: 'h', pid: 1, scenarios: ['s'], partition: { number: 0, count: 2 }, ...(generator && { generator }) }
}

function resultOf(...nodes: NodeInfo[]): RunResult {
  return createRunResult({
    version: 2,
    startedAt: new Date(0).toISOString(),
    durationMs: 2000,
    incomplete: false,
    nodes,
    warnings: [],
    reportFiles: [],
    scenarios: [],
    timeSeries: { intervalMs: 1000, points: [] },
  })
}

describe('toHaveHealthyLoadGenerator', () => {
  test('passes when every node that reported figures is within the limits', () => {
    expect(resultOf(node('a', healthy), node('lost'))).toHaveHealthyLoadGenerator()
  })

  test('fails naming each saturated node and the figures over their limits', () => {
    expect(() => expect(resultOf(node('a', healthy), node('b', saturated))).toHaveHealthyLoadGenerator()).toThrow(
      "expected every node's load generator to be healthy, but node b was saturated: event-loop delay p99 812.5 ms (limit 50 ms), CPU 95 % of a core (limit 90 %).",
    )
    expect(() => expect(resultOf(node('b', saturated))).toHaveHealthyLoadGenerator()).toThrow(
      /b \(Agent\): CPU 95 % of a core · event-loop delay p99 812\.5 ms, max 1200\.0 ms · start lag p99 1\.1 ms/,
    )
  })

  test('works with .not and with tighter limits', () => {
    expect(resultOf(node('b', saturated))).not.toHaveHealthyLoadGenerator()
    expect(() => expect(resultOf(node('a', healthy))).not.toHaveHealthyLoadGenerator()).toThrow("expected a node's load generator to be saturated, but every node's was healthy")
    expect(() => expect(resultOf(node('a', healthy))).toHaveHealthyLoadGenerator({ eventLoopDelayP99Ms: 2, startLagP99Ms: 1 })).toThrow(
      'node a was saturated: event-loop delay p99 4.2 ms (limit 2 ms), open-model start lag p99 1.1 ms (limit 1 ms)',
    )
  })

  test('refuses what it cannot judge', () => {
    expect(() => expect(resultOf(node('lost'))).toHaveHealthyLoadGenerator()).toThrow('no node of this RunResult reported load generator figures')
    expect(() => expect(resultOf(node('a', healthy)).scenarioStats).toHaveHealthyLoadGenerator()).toThrow('toHaveHealthyLoadGenerator needs a RunResult')
    expect(() => expect(resultOf(node('a', healthy))).toHaveHealthyLoadGenerator({ cpuShare: -1 })).toThrow('limits.cpuShare must be a positive number, got -1')
  })

  test('a saturated node is a warning on the result', () => {
    expect(generatorWarnings([node('a', healthy), node('b', saturated)])).toEqual([
      'load generator saturated on node b: event-loop delay p99 812.5 ms (limit 50 ms), CPU 95 % of a core (limit 90 %); its latency figures include its own delays (docs/budgets.md)',
    ])
  })
})
