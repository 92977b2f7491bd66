/**
 * loadScenario: one Vitest test case that runs load scenarios through the
 * engine's Runner and hands the RunResult to an assertion callback. A thin
 * task over the engine: where the load runs (single node, local dev cluster,
 * coordinator) is the Runner's decision, from the config the plugin's global
 * setup provided.
 */
import { inject, TestRunner, type TaskCustomOptions, type TestContext } from 'vitest'
import type { LoadspecConfigInput } from '../src/config/index.js'
import { Scenario } from '../src/engine/scenario.js'
import { formatStatsTable } from '../src/reports/stats-table.js'
import type { RunResult } from '../src/runner/result.js'
import { Runner } from '../src/runner/runner.js'
import { summaryLine, taskMeta } from './summary.js'
import { checkExplicitTimeout, loadTestTimeout, type LoadTestTimeout } from './timeout.js'

/** Receives the merged result of the run; throw (or fail an `expect`) to fail the test. */
export type LoadAssertion = (result: RunResult, context: TestContext) => void | Promise<void>

export interface LoadScenarioOptions {
  /**
   * Milliseconds before loadScenario stops the run and fails the test.
   * Default: derived from the scenarios (warm-up + load + graceful stop + a
   * margin), or 10 minutes when a scenario ends by an iteration count.
   */
  readonly timeout?: number
}

export interface LoadScenario {
  (name: string, scenarios: readonly Scenario[], assert?: LoadAssertion, options?: LoadScenarioOptions): void
}

export interface LoadScenarioAPI extends LoadScenario {
  readonly skip: LoadScenarioAPI
  readonly only: LoadScenarioAPI
  /** A placeholder: nothing runs, the report lists it as todo. */
  readonly todo: (name: string, scenarios?: readonly Scenario[], assert?: LoadAssertion, options?: LoadScenarioOptions) => void
  skipIf(condition: unknown): LoadScenarioAPI
  runIf(condition: unknown): LoadScenarioAPI
}

/** One test case: runs `scenarios` with the plugin's config, then `assert(result)`. */
export const loadScenario = TestRunner.createTaskCollector(function registerLoadTest(
  this: TaskCustomOptions,
  name: unknown,
  scenarios: unknown,
  assert: unknown,
  options: unknown,
): void {
  // `this` carries the chain's modifiers (skip, only, todo) and fixtures: spreading it keeps them.
  const plan = this.todo === true ? undefined : planLoadTest(name, scenarios, assert, options)
  TestRunner.getCurrentSuite().task(String(name), {
    ...this,
    ...(plan && { timeout: plan.timeout.vitestTimeoutMs, handler: (context: TestContext) => runLoadTest(context, plan) }),
  })
}) as unknown as LoadScenarioAPI

interface LoadTestPlan {
  readonly name: string
  readonly scenarios: readonly Scenario[]
  readonly assert: LoadAssertion | undefined
  readonly timeout: LoadTestTimeout
}

/** Checks the arguments where the user wrote them: a mistake fails collection, not a run minutes later. */
function planLoadTest(name: unknown, scenarios: unknown, assert: unknown, options: unknown): LoadTestPlan {
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
  return { name, scenarios: valid, assert: assert as LoadAssertion | undefined, timeout: loadTestTimeout(valid, explicitTimeout) }
}

async function runLoadTest(context: TestContext, plan: LoadTestPlan): Promise<void> {
  const deadline = new AbortController()
  const timer = setTimeout(() => deadline.abort(new Error(`loadScenario "${plan.name}" timed out`)), plan.timeout.timeoutMs)
  let result: RunResult
  try {
    result = await Runner.registerScenarios(...plan.scenarios)
      .withConfig(providedConfig())
      // The global setup already applied argv and the environment of the process that started vitest.
      .withConfigSources({ argv: [], env: {} })
      // context.signal aborts when Vitest gives up on the test (its own timeout, a cancelled run).
      .run({ stopSignal: AbortSignal.any([deadline.signal, context.signal]) })
  } finally {
    clearTimeout(timer)
  }
  await report(context, result)
  if (deadline.signal.aborted) throw timeoutError(plan, result)
  await plan.assert?.(result, context)
}

/** The plugin's resolved config, or the defaults (a single node) when the plugin is not in use. */
function providedConfig(): LoadspecConfigInput {
  return inject('loadspec') ?? {}
}

async function report(context: TestContext, result: RunResult): Promise<void> {
  context.task.meta.loadspec = taskMeta(result)
  for (const stats of result.scenarioStats) await context.annotate(summaryLine(stats, result.nodes.length), 'loadspec')
  for (const warning of result.warnings) await context.annotate(warning, 'loadspec warning')
}

function timeoutError(plan: LoadTestPlan, result: RunResult): Error {
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
