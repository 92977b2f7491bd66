/**
 * Engine overhead: a no-op scenario under keepConstant(50, 10 s) against a
 * hand-written loop of 50 async loops that time the same no-op and record
 * into the same kind of HDR histogram. The ratio is what the engine keeps of
 * the bare loop's iterations per second (target >= 0.8).
 */
import { performance } from 'node:perf_hooks'
import { alternate, pairedRatio, type Contender } from './support/rounds.js'
import { engine } from './support/loadspec.js'
import { figure, note } from './support/report.js'
import { recordingHistogram } from './support/histogram.js'
import { rounds, scaled } from './support/settings.js'
import { runMemoryChild } from './memory.js'

const COPIES = 50

/** The work under test is nothing: what is left is the cost of starting, timing and recording an iteration. */
const noop = async (): Promise<void> => {}

export async function engineBench(): Promise<void> {
  const seconds = scaled(10)
  note(`engine: no-op scenario, keepConstant(${COPIES}, ${seconds}) vs ${COPIES} bare async loops, ${rounds} rounds`)
  const contenders: Contender<{ rps: number }>[] = [
    { name: 'loadspec', run: () => loadspecNoop(seconds), warmUp: () => loadspecNoop(1) },
    { name: 'bare', run: () => bareNoop(seconds), warmUp: () => bareNoop(1) },
  ]
  const results = await alternate('engine.noop', contenders, rounds)
  figure('engine.noop.loadspec.rps', results.medians.get('loadspec')?.rps ?? Number.NaN, 'iterations/s')
  figure('engine.noop.bare.rps', results.medians.get('bare')?.rps ?? Number.NaN, 'iterations/s')
  figure('engine.noop.ratio', pairedRatio(results, 'loadspec', 'bare', 'rps'))

  // The RSS figure belongs next to the throughput one; the memory bench owns how it is measured.
  const iterations = scaled(10_000_000)
  const memory = await runMemoryChild('noop', iterations)
  figure('engine.rss10m.growth', memory.rssGrowthMb, 'MB')
  figure('engine.rss10m.rps', memory.rps, 'iterations/s')
}

async function loadspecNoop(seconds: number): Promise<{ rps: number }> {
  const { Runner, Scenario, Simulation } = engine
  const scenario = Scenario.create('noop', noop).withLoadSimulations(Simulation.keepConstant(COPIES, seconds))
  const result = await Runner.registerScenarios(scenario).withConfigSources({ argv: [], env: {} }).withoutReports().run({ quiet: true })
  const stats = result.getScenarioStats('noop')
  return { rps: stats.ok.request.count / (stats.durationMs / 1000) }
}

/**
 * What a careful hand-written loop does: two clock reads per iteration (the
 * end doubles as the deadline check) and one histogram record. Timers do not
 * fire while 50 loops await only resolved promises, hence the clock check.
 */
async function bareNoop(seconds: number): Promise<{ rps: number }> {
  const histogram = await recordingHistogram()
  let count = 0
  const startMs = performance.now()
  const deadlineMs = startMs + seconds * 1000
  const loop = async (): Promise<void> => {
    for (;;) {
      const iterationStartMs = performance.now()
      await noop()
      const iterationEndMs = performance.now()
      histogram.recordValue(Math.round((iterationEndMs - iterationStartMs) * 1000))
      count++
      if (iterationEndMs >= deadlineMs) return
    }
  }
  await Promise.all(Array.from({ length: COPIES }, loop))
  const elapsedMs = performance.now() - startMs
  histogram.destroy()
  return { rps: count / (elapsedMs / 1000) }
}
