/**
 * Memory stays flat however long a run is (DESIGN.md): histograms, not
 * sample arrays. Each shape runs 10 M iterations in a fresh process and
 * reports how far RSS rose above what it was once the engine was loaded
 * (target: < 20 MB), and what the heap still holds after a full GC. The
 * `bare` shape (no engine) shows the part of the RSS growth that is V8's
 * young generation growing under the allocation rate of 50 promise loops.
 */
import { runChildScript } from './support/child.js'
import { figure, note } from './support/report.js'
import { scaled } from './support/settings.js'
import { MEMORY_SHAPES, type MemoryShape, type MemoryFigures } from './memory-child.js'

export async function memoryBench(): Promise<void> {
  const iterations = scaled(10_000_000)
  note('memory: noop = async no-op; mixed = status codes 200/404/500/"timeout", messages, sizes and a step per iteration; bare = 50 loops, no engine')
  for (const shape of MEMORY_SHAPES) {
    const figures = await runMemoryChild(shape, iterations)
    figure(`memory.${shape}.iterations`, figures.iterations)
    figure(`memory.${shape}.rss_growth`, figures.rssGrowthMb, 'MB')
    figure(`memory.${shape}.retained_heap`, figures.retainedHeapMb, 'MB')
    figure(`memory.${shape}.rps`, figures.rps, 'iterations/s')
  }
}

export function runMemoryChild(shape: MemoryShape, iterations: number): Promise<MemoryFigures> {
  return runChildScript<MemoryFigures>('bench/memory-child.ts', [shape, String(iterations)], ['--expose-gc'])
}
