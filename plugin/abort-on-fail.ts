/**
 * abortOnFail: a budget judged while the load runs. The callback gets the
 * live merged RunResult at each reporting interval once `abortDelay` has
 * passed; the first time it throws, the load stops (gracefully, keeping what
 * was measured) and the test fails with that message, when it happened and
 * the stats table (k6's `abortOnFail` + `delayAbortEval`).
 */
import { plannedDurationMs } from '../src/reports/planned-duration.js'
import { formatStatsTable } from '../src/reports/stats-table.js'
import type { RunProgress } from '../src/result/progress.js'
import { LiveRunResult } from '../src/result/live.js'
import type { RunResult } from '../src/result/result.js'
import type { Scenario } from '../src/engine/scenario.js'
import { tryParseDurationMs, DURATION_EXPECTATION } from '../src/simulations/duration.js'

/** Throw (or fail an `expect`) to stop the load and fail the test. */
export type AbortOnFail = (live: RunResult) => void | Promise<void>

export interface AbortRule {
  readonly check: AbortOnFail
  readonly delayMs: number
}

/** Why and when a run was aborted. */
export interface Abort {
  readonly error: unknown
  /** Time since load start when the callback threw. */
  readonly elapsedMs: number
}

/** The abort options of a loadScenario call, checked where the user wrote them. */
export function checkAbortRule(where: string, options: { readonly abortOnFail?: unknown; readonly abortDelay?: unknown } | undefined): AbortRule | undefined {
  const check = options?.abortOnFail
  const delay = options?.abortDelay
  if (check === undefined) {
    if (delay !== undefined) throw new TypeError(`${where}: options.abortDelay needs options.abortOnFail, the check it delays`)
    return undefined
  }
  if (typeof check !== 'function') throw new TypeError(`${where}: options.abortOnFail must be a function (live) => void, got ${typeof check}`)
  const delayMs = delay === undefined ? 0 : tryParseDurationMs(delay)
  if (delayMs === undefined) throw new TypeError(`${where}: options.abortDelay must be ${DURATION_EXPECTATION}, got ${JSON.stringify(delay) ?? String(delay)}`)
  return { check: check as AbortOnFail, delayMs }
}

/**
 * Runs the rule on each progress snapshot and aborts `signal` on the first
 * throw. A check that is still running (async) when the next snapshot comes
 * is not started again.
 */
export class AbortWatch {
  private readonly controller = new AbortController()
  private readonly live = new LiveRunResult()
  private checking = false
  abort: Abort | undefined

  constructor(private readonly rule: AbortRule) {}

  get signal(): AbortSignal {
    return this.controller.signal
  }

  readonly onProgress = (progress: RunProgress): void => {
    const live = this.live.update(progress)
    if (this.abort !== undefined || this.checking || progress.elapsedMs < this.rule.delayMs) return
    this.checking = true
    Promise.resolve()
      .then(() => this.rule.check(live))
      .then(
        () => undefined,
        (error: unknown) => {
          if (this.abort !== undefined) return
          this.abort = { error, elapsedMs: progress.elapsedMs }
          this.controller.abort(new Error('abortOnFail'))
        },
      )
      .finally(() => {
        this.checking = false
      })
  }
}

export function abortError(testName: string, scenarios: readonly Scenario[], result: RunResult, abort: Abort): Error {
  const plannedMs = plannedDurationMs(scenarios)
  const plan = plannedMs === undefined ? 'a plan that ends by an iteration count' : `a ${Number((plannedMs / 1000).toFixed(1))} s plan`
  const thrown = abort.error instanceof Error ? abort.error.message : String(abort.error)
  const lines = [
    `loadScenario "${testName}" aborted ${formatSeconds(abort.elapsedMs)} into ${plan}: its abortOnFail check failed.`,
    thrown,
    'The load was stopped and what was measured until then is kept:',
    ...result.scenarioStats.map((stats) => `\n${formatStatsTable(stats)}`),
  ]
  const error = new Error(lines.join('\n'))
  error.name = 'LoadScenarioAbortedError'
  return error
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}
