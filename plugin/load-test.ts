/**
 * What loadScenario does whatever the test runner: check its arguments where
 * the user wrote them, run the scenarios through the engine's Runner against
 * a deadline derived from their load, and word the timeout failure. The
 * Vitest task (load-scenario.ts) and the Jest test (jest/load-scenario.ts)
 * are thin wrappers that add only what their runner does differently:
 * registering the test, where the config comes from, how figures are shown.
 */
import type { LoadspecConfigInput } from '../src/config/index.js'
import type { DurationInput } from '../src/simulations/types.js'
import { AbortWatch, checkAbortRule, type Abort, type AbortOnFail, type AbortRule } from './abort-on-fail.js'
import { Scenario } from '../src/engine/scenario.js'
import { scenarioPlanWarnings } from '../src/engine/plan-warnings.js'
import { formatPercent } from '../src/reports/format.js'
import { formatStatsTable } from '../src/reports/stats-table.js'
import type { RunResult } from '../src/result/result.js'
import { Runner } from '../src/runner/runner.js'
import { checkExplicitTimeout, loadTestTimeout, type LoadTestTimeout } from './timeout.js'

export interface LoadScenarioOptions {
  /**
   * Milliseconds before loadScenario stops the run and fails the test.
   * Default: derived from the scenarios (warm-up + load + graceful stop + a
   * margin), or 10 minutes when a scenario ends by an iteration count.
   */
  readonly timeout?: number
  /**
   * Without an assert, a load test fails when any request failed: a load
   * test that passes at 100 % failures tests nothing. `true` lets it pass
   * anyway (with an assert, the assert alone decides).
   */
  readonly allowFailures?: boolean
  /**
   * A budget judged while the load runs: called with the live merged result
   * (every node) at each reporting interval once `abortDelay` has passed; the
   * first throw stops the load and fails the test (docs/budgets.md).
   */
  readonly abortOnFail?: AbortOnFail
  /** How long after load start abortOnFail is first called: seconds, or a string like '5s'. Default 0. */
  readonly abortDelay?: DurationInput
}

/** One loadScenario call, checked: `Assertion` is the runner's callback type. */
export interface LoadTestPlan<Assertion> {
  readonly name: string
  readonly scenarios: readonly Scenario[]
  readonly assert: Assertion | undefined
  readonly allowFailures: boolean
  readonly timeout: LoadTestTimeout
  readonly abortRule: AbortRule | undefined
}

export interface LoadRun {
  readonly result: RunResult
  /** The deadline stopped the run: the result holds what was measured until then. */
  readonly timedOut: boolean
  /** abortOnFail threw and stopped the run. */
  readonly aborted: Abort | undefined
}

/** Checks the arguments where the user wrote them: a mistake fails collection, not a run minutes later. */
export function planLoadTest<Assertion>(name: unknown, scenarios: unknown, assert: unknown, options: unknown): LoadTestPlan<Assertion> {
  if (typeof name !== 'string' || name.trim() === '') throw new TypeError(`loadScenario(name, …): name must be a non-empty string, got ${JSON.stringify(name) ?? String(name)}`)
  const where = `loadScenario("${name}")`
  if (!Array.isArray(scenarios) || scenarios.length === 0) {
    const hint = Scenario.isScenario(scenarios) ? ` (wrap it in an array: [${scenarios.name}])` : ''
    throw new TypeError(`${where}: scenarios must be a non-empty array of Scenario${hint}`)
  }
  const notScenario = scenarios.findIndex((candidate) => !Scenario.isScenario(candidate))
  if (notScenario >= 0) throw new TypeError(`${where}: scenarios[${notScenario}] is not a Scenario (make one with Scenario.create(name, handler))`)
  if (assert !== undefined && typeof assert !== 'function') throw new TypeError(`${where}: assert must be a function (result) => void, got ${typeof assert}`)
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new TypeError(`${where}: options must be an object such as { timeout: 60_000 }`)
  const valid = scenarios as Scenario[]
  const explicitTimeout = checkExplicitTimeout(name, (options as LoadScenarioOptions | undefined)?.timeout)
  const abortRule = checkAbortRule(where, options as LoadScenarioOptions | undefined)
  const allowFailures = (options as LoadScenarioOptions | undefined)?.allowFailures
  if (allowFailures !== undefined && typeof allowFailures !== 'boolean') throw new TypeError(`${where}: options.allowFailures must be true or false, got ${JSON.stringify(allowFailures)}`)
  // Said while the file is collected: a 33-minute plan meant as 2 s should not need 33 minutes to notice.
  for (const warning of scenarioPlanWarnings(valid)) console.warn(`loadspec warning: ${where}: ${warning}`)
  return { name, scenarios: valid, assert: assert as Assertion | undefined, allowFailures: allowFailures ?? false, timeout: loadTestTimeout(valid, explicitTimeout), abortRule }
}

/**
 * The test's assert, or, without one, the rule that no request may fail
 * (unless `allowFailures`). The Vitest and Jest wrappers call it where they
 * would call the assert.
 */
export async function assertOrNoFailures<Args extends unknown[]>(
  plan: LoadTestPlan<(result: RunResult, ...rest: Args) => unknown>,
  result: RunResult,
  ...rest: Args
): Promise<void> {
  if (plan.assert !== undefined) {
    await plan.assert(result, ...rest)
    return
  }
  if (plan.allowFailures) return
  const failed = result.scenarioStats.reduce((sum, stats) => sum + stats.fail.request.count, 0)
  if (failed === 0) return
  const all = result.scenarioStats.reduce((sum, stats) => sum + stats.allRequestCount, 0)
  const lines = [
    `loadScenario "${plan.name}" has no assert, and ${failed} of ${all} requests failed (${formatPercent((failed / all) * 100)}), so it fails.`,
    `Say what is acceptable in an assert (e.g. (result) => expect(result).toHaveFailRateBelow(0.01)), or pass { allowFailures: true } as loadScenario's fourth argument.`,
    ...result.scenarioStats.filter((stats) => stats.fail.request.count > 0).map((stats) => `\n${formatStatsTable(stats)}`),
  ]
  const error = new Error(lines.join('\n'))
  error.name = 'LoadScenarioFailedRequestsError'
  throw error
}

/**
 * Runs the plan's scenarios with `config` (what the runner's global setup
 * resolved, or `{}` for the defaults), stopping them at the plan's deadline
 * or when `runnerSignal` aborts (the runner gave up on the test). With
 * `reportsInto` (the test's folder in its test run) the reports go there.
 */
export async function runLoad(plan: LoadTestPlan<unknown>, config: LoadspecConfigInput, runnerSignal?: AbortSignal, reportsInto?: string): Promise<LoadRun> {
  const deadline = new AbortController()
  const timer = setTimeout(() => deadline.abort(new Error(`loadScenario "${plan.name}" timed out`)), plan.timeout.timeoutMs)
  const watch = plan.abortRule === undefined ? undefined : new AbortWatch(plan.abortRule)
  const stops = [deadline.signal, ...(runnerSignal === undefined ? [] : [runnerSignal]), ...(watch === undefined ? [] : [watch.signal])]
  try {
    const result = await Runner.registerScenarios(...plan.scenarios)
      .withConfig(config)
      // The global setup already applied argv and the environment of the process that started the test runner.
      .withConfigSources({ argv: [], env: {} })
      .run({
        stopSignal: stops.length === 1 ? deadline.signal : AbortSignal.any(stops),
        ...(watch === undefined ? {} : { onProgress: watch.onProgress }),
        ...(reportsInto === undefined ? {} : { reportsInto }),
      })
    return { result, timedOut: deadline.signal.aborted, aborted: watch?.abort }
  } finally {
    clearTimeout(timer)
  }
}

export function timeoutError(plan: LoadTestPlan<unknown>, result: RunResult): Error {
  const { timeoutMs, reason, unboundedScenarios } = plan.timeout
  const running = unboundedScenarios.length > 0 ? unboundedScenarios.join('; ') : plan.scenarios.map((scenario) => `scenario "${scenario.name}"`).join(', ')
  const lines = [
    `loadScenario "${plan.name}" timed out after ${timeoutMs} ms (${reason}) while running ${running}.`,
    `It stopped the load and kept what was measured until then. If the run needs longer, pass { timeout: <ms> } as loadScenario's fourth argument.`,
    ...result.scenarioStats.map((stats) => `\n${formatStatsTable(stats)}`),
  ]
  const error = new Error(lines.join('\n'))
  error.name = 'LoadScenarioTimeoutError'
  return error
}
