/**
 * Open-model accuracy and cost: inject at 1k/s and 10k/s for 10 s with a
 * no-op handler, alternating over the rounds. Prints
 * - rate_error: the achieved start rate (iterations started, over the time
 *   from the first start to the last) against the asked one (target < 0.1 %);
 * - start lag p50/p99/max: how late iterations started behind their due
 *   time, part of every open-model latency (target p99 <= 1.5 ms);
 * - dropped iterations;
 * - generator_cpu: CPU time of this process over the load's wall time, as
 *   the result's node reports it (nodes[0].generator), in % of one core
 *   (target <= 5 % at 1k/s and 10k/s); the scheduler sleeps on timers, so
 *   what is left is the cost of starting and recording iterations.
 * - process_cpu: the same over the whole run() call (init, reports and all).
 *
 * Beside each rate runs `timers`, the bare reference: a loop that on each
 * setTimeout wake-up starts (counts) every due iteration and records its lag
 * into the same kind of histogram, then sleeps until the next due time, the
 * prototype in FACTS.md. On a shared machine its lag and CPU are the floor
 * that the machine allows at that moment; loadspec's are read against it.
 */
import { performance } from 'node:perf_hooks'
import { recordingHistogram } from './support/histogram.js'
import { engine } from './support/loadspec.js'
import { figure, note } from './support/report.js'
import { alternate, type Contender } from './support/rounds.js'
import { rounds, scaled } from './support/settings.js'

const RATES = [1_000, 10_000] as const

type OpenFigures = {
  readonly expected: number
  readonly started: number
  readonly achievedRate: number
  readonly rateErrorPercent: number
  readonly lagP50Ms: number
  readonly lagP99Ms: number
  readonly lagMaxMs: number
  readonly dropped: number
  readonly generatorCpuPercent: number
  readonly processCpuPercent: number
}

export async function openBench(): Promise<void> {
  const seconds = scaled(10)
  note(`open: inject(rate, 1, ${seconds}) with a no-op handler, rates ${RATES.join(', ')}/s, ${rounds} rounds`)
  const contenders: Contender<OpenFigures>[] = RATES.flatMap((rate) => [
    { name: rateKey(rate), run: () => injectRun(rate, seconds) },
    { name: `timers.${rateKey(rate)}`, run: () => bareTimersRun(rate, seconds) },
  ])
  const { medians, samples } = await alternate('open', contenders, rounds)
  for (const [key, figures] of medians) {
    const runs = samples.get(key) ?? []
    figure(`open.${key}.expected`, figures.expected, 'iterations')
    figure(`open.${key}.started`, figures.started, 'iterations')
    figure(`open.${key}.achieved_rate`, figures.achievedRate, 'iterations/s')
    figure(`open.${key}.rate_error`, figures.rateErrorPercent, '%')
    figure(`open.${key}.start_lag_p50`, figures.lagP50Ms, 'ms')
    figure(`open.${key}.start_lag_p99`, figures.lagP99Ms, 'ms')
    figure(`open.${key}.start_lag_max`, figures.lagMaxMs, 'ms')
    figure(`open.${key}.dropped`, figures.dropped, 'iterations')
    figure(`open.${key}.generator_cpu`, figures.generatorCpuPercent, '% of a core')
    figure(`open.${key}.generator_cpu_range`, range(runs.map((run) => run.generatorCpuPercent)), '% of a core')
    figure(`open.${key}.start_lag_p99_range`, range(runs.map((run) => run.lagP99Ms)), 'ms')
    figure(`open.${key}.process_cpu`, figures.processCpuPercent, '% of a core')
  }
}

async function injectRun(rate: number, seconds: number): Promise<OpenFigures> {
  const { Runner, Scenario, Simulation } = engine
  const name = `inject-${rateKey(rate)}`
  // The only work: two clock reads a start, to time the achieved rate independently of loadspec's own figures.
  let firstStartMs = 0
  let lastStartMs = 0
  const scenario = Scenario.create(name, () => {
    lastStartMs = performance.now()
    if (firstStartMs === 0) firstStartMs = lastStartMs
  }).withLoadSimulations(Simulation.inject(rate, 1, seconds))
  const cpuBefore = process.cpuUsage()
  const startMs = performance.now()
  const result = await Runner.registerScenarios(scenario).withConfigSources({ argv: [], env: {} }).withoutReports().run({ quiet: true })
  const cpu = process.cpuUsage(cpuBefore)
  const elapsedMs = performance.now() - startMs
  const stats = result.getScenarioStats(name)
  const started = stats.allRequestCount
  // Started iterations k = 0 … n-1 are due at k / rate: n - 1 intervals between the first and the last start.
  const achievedRate = started > 1 ? (started - 1) / ((lastStartMs - firstStartMs) / 1000) : 0
  const generator = result.nodes[0]?.generator
  return {
    expected: rate * seconds,
    started,
    achievedRate,
    rateErrorPercent: (Math.abs(achievedRate - rate) / rate) * 100,
    lagP50Ms: stats.startLagMs?.p50 ?? Number.NaN,
    lagP99Ms: stats.startLagMs?.p99 ?? Number.NaN,
    lagMaxMs: stats.startLagMs?.max ?? Number.NaN,
    dropped: stats.droppedIterations,
    generatorCpuPercent: generator === undefined ? Number.NaN : ((generator.cpuUserMs + generator.cpuSystemMs) / generator.wallMs) * 100,
    processCpuPercent: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
  }
}

/** The reference: only a timer loop and a lag histogram, no handler, no engine. */
async function bareTimersRun(rate: number, seconds: number): Promise<OpenFigures> {
  const histogram = await recordingHistogram()
  const total = rate * seconds
  const intervalMs = 1000 / rate
  let next = 0
  let firstStartMs = 0
  let lastStartMs = 0
  const cpuBefore = process.cpuUsage()
  const startMs = performance.now()
  await new Promise<void>((done) => {
    const wake = (): void => {
      const nowMs = performance.now()
      const elapsedMs = nowMs - startMs
      while (next < total && next * intervalMs <= elapsedMs) {
        histogram.recordValue(Math.round((elapsedMs - next * intervalMs) * 1000))
        if (next === 0) firstStartMs = nowMs
        lastStartMs = nowMs
        next++
      }
      if (next >= total) return done()
      setTimeout(wake, Math.max(0, next * intervalMs - (performance.now() - startMs)))
    }
    wake()
  })
  const cpu = process.cpuUsage(cpuBefore)
  const cpuPercent = ((cpu.user + cpu.system) / 1000 / (performance.now() - startMs)) * 100
  const achievedRate = (total - 1) / ((lastStartMs - firstStartMs) / 1000)
  const figures: OpenFigures = {
    expected: total,
    started: next,
    achievedRate,
    rateErrorPercent: (Math.abs(achievedRate - rate) / rate) * 100,
    lagP50Ms: histogram.getValueAtPercentile(50) / 1000,
    lagP99Ms: histogram.getValueAtPercentile(99) / 1000,
    lagMaxMs: histogram.maxValue / 1000,
    dropped: 0,
    generatorCpuPercent: cpuPercent,
    processCpuPercent: cpuPercent,
  }
  histogram.destroy()
  return figures
}

function range(values: readonly number[]): string {
  if (values.length === 0) return 'n/a'
  const format = (value: number): string => (Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2))
  return `${format(Math.min(...values))}..${format(Math.max(...values))}`
}

function rateKey(rate: number): string {
  return rate >= 1000 ? `${rate / 1000}k` : String(rate)
}
