/**
 * Open-model accuracy: inject at 1k/s and 10k/s for 10 s with a no-op
 * handler, alternating over the rounds. Prints the achieved rate's error
 * against the asked one (target < 1 %), the start lag (how late iterations
 * started behind schedule: part of every open-model latency), dropped
 * iterations, and how much of a core the generator used to keep the
 * schedule (the scheduler waits on setImmediate for due times under 1 ms
 * away, which keeps the lag small and the core busy).
 */
import { performance } from 'node:perf_hooks'
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
  readonly cpuPercent: number
}

export async function openBench(): Promise<void> {
  const seconds = scaled(10)
  note(`open: inject(rate, 1, ${seconds}) with a no-op handler, rates ${RATES.join(', ')}/s, ${rounds} rounds`)
  const contenders: Contender<OpenFigures>[] = RATES.map((rate) => ({ name: rateKey(rate), run: () => injectRun(rate, seconds) }))
  const { medians } = await alternate('open', contenders, rounds)
  for (const [key, figures] of medians) {
    figure(`open.${key}.expected`, figures.expected, 'iterations')
    figure(`open.${key}.started`, figures.started, 'iterations')
    figure(`open.${key}.achieved_rate`, figures.achievedRate, 'iterations/s')
    figure(`open.${key}.rate_error`, figures.rateErrorPercent, '%')
    figure(`open.${key}.start_lag_p50`, figures.lagP50Ms, 'ms')
    figure(`open.${key}.start_lag_p99`, figures.lagP99Ms, 'ms')
    figure(`open.${key}.start_lag_max`, figures.lagMaxMs, 'ms')
    figure(`open.${key}.dropped`, figures.dropped, 'iterations')
    figure(`open.${key}.generator_cpu`, figures.cpuPercent, '% of a core')
  }
}

async function injectRun(rate: number, seconds: number): Promise<OpenFigures> {
  const { Runner, Scenario, Simulation } = engine
  const name = `inject-${rateKey(rate)}`
  const scenario = Scenario.create(name, async () => {}).withLoadSimulations(Simulation.inject(rate, 1, seconds))
  const cpuBefore = process.cpuUsage()
  const startMs = performance.now()
  const result = await Runner.registerScenarios(scenario).withConfigSources({ argv: [], env: {} }).withoutReports().run({ quiet: true })
  const cpu = process.cpuUsage(cpuBefore)
  const elapsedMs = performance.now() - startMs
  const stats = result.getScenarioStats(name)
  const started = stats.allRequestCount
  const achievedRate = started / (stats.durationMs / 1000)
  return {
    expected: rate * seconds,
    started,
    achievedRate,
    rateErrorPercent: (Math.abs(achievedRate - rate) / rate) * 100,
    lagP50Ms: stats.startLagMs?.p50 ?? Number.NaN,
    lagP99Ms: stats.startLagMs?.p99 ?? Number.NaN,
    lagMaxMs: stats.startLagMs?.max ?? Number.NaN,
    dropped: stats.droppedIterations,
    cpuPercent: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
  }
}

function rateKey(rate: number): string {
  return rate >= 1000 ? `${rate / 1000}k` : String(rate)
}
