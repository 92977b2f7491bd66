/**
 * One memory measurement in a process of its own (started by memory.ts):
 * loads the engine, runs a tiny run so that everything lazily loaded is in,
 * takes the baseline, then runs `iterations` iterations of `shape` while
 * sampling RSS. Prints one JSON line.
 *
 * Peak RSS growth includes V8 growing its young generation under a high
 * allocation rate (every awaited promise is garbage): the `bare` shape, 50
 * hand-written loops with no engine, shows how much of the figure that is.
 * What a run keeps is `retainedHeapMb`: heap after a full GC against the
 * baseline after a full GC (needs --expose-gc, which memory.ts passes).
 */
import { performance } from 'node:perf_hooks'
import { engine } from './support/loadspec.js'
import { recordingHistogram } from './support/histogram.js'
import type { IterationContext, ScenarioHandler } from '../src/index.js'

export type MemoryShape = 'noop' | 'mixed' | 'bare'

export const MEMORY_SHAPES: readonly MemoryShape[] = ['noop', 'mixed', 'bare']

export interface MemoryFigures {
  readonly iterations: number
  readonly rssGrowthMb: number
  readonly retainedHeapMb: number
  readonly rps: number
}

const COPIES = 50
const MB = 1024 * 1024

const handlers: Record<Exclude<MemoryShape, 'bare'>, ScenarioHandler> = {
  noop: async () => {},
  mixed: async (ctx: IterationContext) => {
    const { Response, Step } = engine
    await Step.run('step', ctx, () => Response.ok(200, 64))
    switch (ctx.invocationNumber % 20) {
      case 0:
        return Response.fail(500, 'server error', 32)
      case 1:
        return Response.fail(404, 'not found', 16)
      case 2:
        return Response.fail('timeout', 'upstream timed out')
      default:
        return Response.ok(200, 100 + (ctx.invocationNumber % 7) * 100)
    }
  },
}

async function main(): Promise<void> {
  const args = process.argv.slice(process.argv.findIndex((arg) => arg.endsWith('memory-child.ts')) + 1)
  const [shapeArg = 'noop', iterationsArg = '10000000'] = args
  const shape = MEMORY_SHAPES.find((known) => known === shapeArg)
  if (shape === undefined) throw new Error(`memory-child: unknown shape "${shapeArg}"; known: ${MEMORY_SHAPES.join(', ')}`)
  const iterations = Number(iterationsArg)
  await runIterations(shape, 10_000)
  globalThis.gc?.()
  const baseline = process.memoryUsage()
  const kernelPeakBefore = process.resourceUsage().maxRSS * 1024
  // Sampling sees the peak when timers fire; the kernel's peak covers loops that never let them (the bare one).
  let sampledPeak = baseline.rss
  const sampler = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss())
  }, 25)
  const rps = await runIterations(shape, iterations)
  clearInterval(sampler)
  sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss())
  const kernelPeakAfter = process.resourceUsage().maxRSS * 1024
  // A kernel peak that rose during the run is the run's exact peak; one that did not predates it.
  const peakRss = kernelPeakAfter > kernelPeakBefore ? kernelPeakAfter : sampledPeak
  globalThis.gc?.()
  const retained = process.memoryUsage().heapUsed
  const figures: MemoryFigures = {
    iterations,
    rssGrowthMb: round((peakRss - baseline.rss) / MB),
    retainedHeapMb: round((retained - baseline.heapUsed) / MB),
    rps: Math.round(rps),
  }
  console.log(JSON.stringify(figures))
}

async function runIterations(shape: MemoryShape, iterations: number): Promise<number> {
  if (shape === 'bare') return bareIterations(iterations)
  const { Runner, Scenario, Simulation } = engine
  const scenario = Scenario.create(shape, handlers[shape]).withLoadSimulations(Simulation.iterationsForConstant(COPIES, iterations))
  const result = await Runner.registerScenarios(scenario).withConfigSources({ argv: [], env: {} }).withoutReports().run({ quiet: true })
  const stats = result.getScenarioStats(shape)
  return stats.allRequestCount / (stats.durationMs / 1000)
}

/** The engine bench's bare loop, bounded by a count instead of a deadline. */
async function bareIterations(iterations: number): Promise<number> {
  const histogram = await recordingHistogram()
  const noop = async (): Promise<void> => {}
  let left = iterations
  const startMs = performance.now()
  const loop = async (): Promise<void> => {
    while (left > 0) {
      left--
      const iterationStartMs = performance.now()
      await noop()
      histogram.recordValue(Math.round((performance.now() - iterationStartMs) * 1000))
    }
  }
  await Promise.all(Array.from({ length: COPIES }, loop))
  const elapsedMs = performance.now() - startMs
  histogram.destroy()
  return iterations / (elapsedMs / 1000)
}

function round(value: number): number {
  return Math.round(value * 10) / 10
}

// Only as a script: memory.ts imports this module for its types and shape list.
if (process.argv.some((arg) => arg.endsWith('memory-child.ts'))) await main()
