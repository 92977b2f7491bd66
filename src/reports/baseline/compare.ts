/**
 * Load baselines: the figures of a scenario that a later run is compared
 * against (`toMatchLoadBaseline`, `loadspec report --compare`), and the
 * comparison. Noise is handled by tolerances with a floor: latency must
 * grow by a share *and* by a minimum number of milliseconds before it is a
 * regression, so a 2.1 → 2.4 ms p99 (+14 %) on a busy machine is not.
 */
import type { ScenarioStats } from '../../stats/types.js'

/** What a baseline keeps of one scenario: the compared figures, readable, and the histogram they come from. */
export interface ScenarioBaseline {
  readonly okCount: number
  readonly failCount: number
  /** failCount / all requests, a fraction. */
  readonly failRate: number
  /** All requests per second over the measured window. */
  readonly rps: number
  /** Ok latency, ms. */
  readonly p50Ms: number
  readonly p95Ms: number
  readonly p99Ms: number
  /** The ok latency histogram (µs, compressed base64), for a closer look later. */
  readonly okLatencyHistogram: string
}

/** How much worse a figure may get before it is a regression. */
export interface BaselineTolerances {
  /** Share a latency percentile may grow by (0.1 is +10 %). */
  readonly latency: number
  /** ...and the least growth in ms that counts (below it, noise). */
  readonly latencyMinMs: number
  /** Fail-rate points it may grow by (0.01 is +1 point: 2 % → 3 %). */
  readonly failRate: number
  /** Share rps may drop by (0.1 is −10 %). */
  readonly rps: number
}

export const DEFAULT_TOLERANCES: BaselineTolerances = { latency: 0.1, latencyMinMs: 1, failRate: 0.01, rps: 0.1 }

export interface Regression {
  readonly figure: 'ok p50' | 'ok p95' | 'ok p99' | 'fail rate' | 'rps'
  readonly baseline: number
  readonly now: number
  /** `ok p99 22.31 ms, baseline 11.02 ms (+102.5 %, tolerance +10 % and at least +1 ms)` */
  readonly text: string
}

export function scenarioBaseline(stats: ScenarioStats): ScenarioBaseline {
  const { ok, fail, allRequestCount, allRequestRps } = stats
  return {
    okCount: ok.request.count,
    failCount: fail.request.count,
    failRate: allRequestCount === 0 ? 0 : fail.request.count / allRequestCount,
    rps: round(allRequestRps),
    p50Ms: round(ok.latencyMs.p50),
    p95Ms: round(ok.latencyMs.p95),
    p99Ms: round(ok.latencyMs.p99),
    okLatencyHistogram: stats.serialized.ok.latencyUs.histogram,
  }
}

/** Tolerances over the defaults, checked: each a number of 0 or more. */
export function baselineTolerances(overrides: Partial<BaselineTolerances> | undefined, where: string): BaselineTolerances {
  const unknown = Object.keys(overrides ?? {}).filter((key) => !(key in DEFAULT_TOLERANCES))
  if (unknown.length > 0) throw new TypeError(`${where}: unknown tolerance ${unknown.join(', ')}; tolerances are ${Object.keys(DEFAULT_TOLERANCES).join(', ')}`)
  const tolerances = { ...DEFAULT_TOLERANCES, ...overrides }
  for (const [key, value] of Object.entries(tolerances)) {
    if (!(typeof value === 'number' && value >= 0 && Number.isFinite(value))) {
      throw new TypeError(`${where}: tolerance ${key} must be a number of 0 or more, got ${JSON.stringify(value) ?? String(value)}`)
    }
  }
  return tolerances
}

/** Every figure of `now` that is worse than `baseline` beyond the tolerances. */
export function compareToBaseline(baseline: ScenarioBaseline, now: ScenarioBaseline, tolerances: BaselineTolerances = DEFAULT_TOLERANCES): Regression[] {
  const regressions: Regression[] = []
  const latencyTolerance = `tolerance +${percent(tolerances.latency)} and at least +${tolerances.latencyMinMs} ms`
  for (const [figure, base, current] of [
    ['ok p50', baseline.p50Ms, now.p50Ms],
    ['ok p95', baseline.p95Ms, now.p95Ms],
    ['ok p99', baseline.p99Ms, now.p99Ms],
  ] as const) {
    // No ok request on one side: no latency to compare (the fail rate says what happened).
    if (baseline.okCount === 0 || now.okCount === 0) continue
    if (current > base * (1 + tolerances.latency) && current - base >= tolerances.latencyMinMs) {
      regressions.push({ figure, baseline: base, now: current, text: `${figure} ${ms(current)}, baseline ${ms(base)} (${change(base, current)}, ${latencyTolerance})` })
    }
  }
  if (now.failRate - baseline.failRate > tolerances.failRate) {
    const points = (now.failRate - baseline.failRate) * 100
    regressions.push({
      figure: 'fail rate',
      baseline: baseline.failRate,
      now: now.failRate,
      text: `fail rate ${percent(now.failRate)}, baseline ${percent(baseline.failRate)} (+${points.toFixed(1)} points, tolerance +${(tolerances.failRate * 100).toFixed(1)} points)`,
    })
  }
  if (now.rps < baseline.rps * (1 - tolerances.rps)) {
    regressions.push({ figure: 'rps', baseline: baseline.rps, now: now.rps, text: `rps ${now.rps.toFixed(1)}, baseline ${baseline.rps.toFixed(1)} (${change(baseline.rps, now.rps)}, tolerance −${percent(tolerances.rps)})` })
  }
  return regressions
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}

function ms(value: number): string {
  return `${value.toFixed(2)} ms`
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))} %`
}

function change(base: number, now: number): string {
  if (base === 0) return 'from 0'
  const share = ((now - base) / base) * 100
  return `${share >= 0 ? '+' : '−'}${Math.abs(share).toFixed(1)} %`
}
