/**
 * `npm run bench -- [filter...]`: runs the benchmarks whose name contains a
 * filter word (all of them without one) and prints one grep-able line per
 * figure (`engine.noop.ratio 0.86`); lines starting with `#` are detail.
 * Longer, steadier runs: BENCH_SCALE=3 (durations and counts), BENCH_ROUNDS=5.
 */
import { clusterBench } from './cluster.js'
import { engineBench } from './engine.js'
import { fleetBench } from './fleet.js'
import { httpBench } from './http.js'
import { localClusterBench } from './local-cluster.js'
import { memoryBench } from './memory.js'
import { openBench } from './open.js'
import { seriesBench } from './series.js'
import { serviceBench } from './service.js'
import { loadavg } from 'node:os'
import { figure, machineInfo, note } from './support/report.js'
import { rounds, scale } from './support/settings.js'

const BENCHMARKS: readonly { readonly name: string; readonly run: () => Promise<void> }[] = [
  { name: 'engine', run: engineBench },
  { name: 'http', run: httpBench },
  { name: 'open', run: openBench },
  { name: 'memory', run: memoryBench },
  { name: 'cluster', run: clusterBench },
  { name: 'service', run: serviceBench },
  { name: 'fleet', run: fleetBench },
  { name: 'local', run: localClusterBench },
  { name: 'series', run: seriesBench },
]

const filters = filterWords(process.argv)
const selected = BENCHMARKS.filter((bench) => filters.length === 0 || filters.some((word) => bench.name.includes(word)))
if (selected.length === 0) {
  throw new Error(`bench: no benchmark matches ${filters.map((word) => `"${word}"`).join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`)
}

const machine = machineInfo()
figure('machine.cores', machine.cores)
figure('machine.cpu', JSON.stringify(machine.cpuModel))
figure('machine.node', machine.node)
note(`BENCH_SCALE=${scale} BENCH_ROUNDS=${rounds}; running ${selected.map((bench) => bench.name).join(', ')}`)
for (const bench of selected) {
  const startedMs = performance.now()
  // How busy the machine was: figures taken under a load above the core count are not comparable with quiet ones.
  figure(`${bench.name}.load_before`, loadavg()[0] ?? Number.NaN)
  await bench.run()
  figure(`${bench.name}.load_after`, loadavg()[0] ?? Number.NaN)
  note(`${bench.name} took ${((performance.now() - startedMs) / 1000).toFixed(1)} s`)
}

/** The words after the script's own path: `loadspec run bench/run.ts engine http` gives ['engine', 'http']. */
function filterWords(argv: readonly string[]): string[] {
  const scriptIndex = argv.findIndex((arg) => /bench[\\/]run\.(ts|js)$/.test(arg))
  return argv.slice(scriptIndex + 1).filter((arg) => !arg.startsWith('-'))
}
