import { describe, expect, it } from 'vitest'
import { Response, Runner, Scenario, Simulation } from '../../src/index.js'
import { mergeRunResults } from '../../src/result/merge.js'
import { createRunResult } from '../../src/result/result.js'
import { EMPTY_HISTOGRAM } from '../../src/stats/histogram.js'

function run(...scenarios: Scenario[]) {
  return Runner.registerScenarios(...scenarios)
    .withConfigSources({ argv: [], env: {} })
    .withoutReports()
    .withConfig({ reportingIntervalMs: 250 })
    .run()
}

describe('time series', () => {
  it('cuts the measured run into intervals whose counts add up to the totals', async () => {
    const scenario = Scenario.create('paced', (ctx) => Response.ok(200, 10, '', ctx.invocationNumber % 2 === 0 ? 5 : 50))
      .withWarmUpDuration('250ms')
      .withLoadSimulations(Simulation.inject(200, 1, '1s'))
    const result = await run(scenario)
    expect(result.timeSeriesIntervalMs).toBe(250)
    const perInterval = result.timeSeries.map((point) => point.scenarioStats.find((stats) => stats.scenarioName === 'paced')?.ok.request.count ?? 0)
    expect(perInterval.reduce((a, b) => a + b, 0)).toBe(200)
    // The warm-up interval carries no measured stats for the scenario.
    expect(result.timeSeries[0]?.scenarioStats).toEqual([])
    const full = result.timeSeries.slice(1, -1).flatMap((point) => point.scenarioStats)
    expect(full.length).toBeGreaterThanOrEqual(3)
    for (const stats of full) {
      // A late timer makes an interval longer, not its rate different: compare rates, not counts.
      expect(stats.ok.request.rps).toBeGreaterThan(150)
      expect(stats.ok.request.rps).toBeLessThan(250)
      expect(stats.ok.latencyMs.p99).toBeCloseTo(50, 0)
    }
  })

  it('merges the results of two nodes exactly, series included', async () => {
    const fast = Scenario.create('shared', () => Response.ok(200, 0, '', 2)).withLoadSimulations(Simulation.inject(100, 1, '500ms'))
    const slow = Scenario.create('shared', (ctx) => Response.ok(200, 0, '', ctx.invocationNumber % 5 === 0 ? 80 : 2)).withLoadSimulations(Simulation.inject(100, 1, '500ms'))
    const [a, b] = await Promise.all([run(fast), run(slow)])
    const merged = createRunResult(mergeRunResults([a.toJSON(), b.toJSON()]))
    const stats = merged.getScenarioStats('shared')
    expect(stats.ok.request.count).toBe(100)
    expect(stats.ok.latencyMs.p95).toBeCloseTo(80, 0)
    expect(merged.nodes).toHaveLength(2)
    const seriesTotal = merged.timeSeries.flatMap((point) => point.scenarioStats).reduce((sum, s) => sum + s.ok.request.count, 0)
    expect(seriesTotal).toBe(100)
  })
})

describe('time series points', () => {
  it('keep latency and exact scalars per interval but leave size, service-time and start-lag histograms to the totals', async () => {
    const scenario = Scenario.create('slim', () => Response.ok(200, 1234, '', 3)).withLoadSimulations(Simulation.inject(200, 1, '600ms'))
    const result = await run(scenario)
    const points = result.toJSON().timeSeries.points.flatMap((point) => point.scenarios)
    expect(points.length).toBeGreaterThanOrEqual(2)
    for (const point of points) {
      expect(point.ok.bytes.histogram).toBe(EMPTY_HISTOGRAM)
      expect(point.ok.bytes.sum).toBe(point.ok.count * 1234)
      expect(point.serviceTimeUs?.count).toBe(point.ok.count)
      expect(point.serviceTimeUs?.histogram).toBe(EMPTY_HISTOGRAM)
    }
    const intervals = result.timeSeries.flatMap((point) => point.scenarioStats)
    expect(intervals.every((stats) => stats.ok.latencyMs.p99 > 2.9 && stats.ok.latencyMs.p99 < 3.1)).toBe(true)
    // The totals still carry everything.
    const totals = result.getScenarioStats('slim')
    expect(totals.ok.dataTransferBytes.p99).toBeCloseTo(1234, -1)
    expect(totals.serviceTimeMs?.p99).toBeCloseTo(3, 0)
  })
})
