/**
 * loadScenario: one Vitest test case that runs load scenarios through the
 * engine's Runner and hands the RunResult to an assertion callback. A thin
 * task over the engine: where the load runs (single node, local dev cluster,
 * coordinator) is the Runner's decision, from the config the plugin's global
 * setup provided.
 */
import { inject, TestRunner, type TestContext } from 'vitest'
import type { LoadspecConfigInput } from '../src/config/index.js'
import type { Scenario } from '../src/engine/scenario.js'
import type { RunResult } from '../src/result/result.js'
import { DEFAULT_AGENT_LOST_POLICY, describeBadPolicy, isAgentLostPolicy, judgeLostAgents, type AgentLostPolicy } from './agent-lost.js'
import { abortError } from './abort-on-fail.js'
import { assertOrNoFailures, planLoadTest, runLoad, timeoutError, type LoadScenarioOptions as RunnerLoadScenarioOptions, type LoadTestPlan } from './load-test.js'
import { summaryLine, taskMeta } from './summary.js'
import { createTaskChain, type ChainModifiers } from './task-chain.js'
import { recordedLoadTest, reportLine, reportPaths, type LoadTestIdentity, type TestRunTarget } from './test-run.js'

export type { AgentLostPolicy } from './agent-lost.js'

export interface LoadScenarioOptions extends RunnerLoadScenarioOptions {
  /**
   * When an agent stops answering mid-run (the result is then incomplete):
   * `'fail'` fails this test, naming the agent and its scenarios, after
   * running the assertions on the partial figures; `'warn'` leaves the
   * verdict to the assertions and annotates the warning. Default: the
   * plugin's `onAgentLost`, else `'fail'`.
   */
  readonly onAgentLost?: AgentLostPolicy
}

/** Receives the merged result of the run; throw (or fail an `expect`) to fail the test. */
export type LoadAssertion = (result: RunResult, context: TestContext) => void | Promise<void>

export interface LoadScenario {
  (name: string, scenarios: readonly Scenario[], assert?: LoadAssertion, options?: LoadScenarioOptions): void
}

/**
 * The members of Vitest's `test` that fit a load test. The others (`each`,
 * `for`, `concurrent`, `sequential`, `extend`, …) throw, saying what to
 * write instead; called inside a running test, loadScenario throws as
 * `test` does. Load tests always run one at a time.
 */
export interface LoadScenarioAPI extends LoadScenario {
  readonly skip: LoadScenarioAPI
  readonly only: LoadScenarioAPI
  /** A placeholder: nothing runs, the report lists it as todo. */
  readonly todo: (name: string, scenarios?: readonly Scenario[], assert?: LoadAssertion, options?: LoadScenarioOptions) => void
  /** Passes when the run or its assertion fails, fails when it passes (Vitest's `test.fails`): a budget that must catch a slow target. */
  readonly fails: LoadScenarioAPI
  skipIf(condition: unknown): LoadScenarioAPI
  runIf(condition: unknown): LoadScenarioAPI
}

/** One test case: runs `scenarios` with the plugin's config, then `assert(result)`. */
export const loadScenario: LoadScenarioAPI = createTaskChain('loadScenario', registerLoadTest)

function registerLoadTest(modifiers: ChainModifiers, [name, scenarios, assert, options]: unknown[]): void {
  const plan = modifiers.todo === true ? undefined : planLoadTest<LoadAssertion>(name, scenarios, assert, options)
  const onAgentLost = plan && checkOnAgentLost(plan.name, options)
  TestRunner.getCurrentSuite().task(String(name), {
    ...modifiers,
    // Side by side, one load test would slow down the target another one measures.
    concurrent: false,
    ...(plan && { timeout: plan.timeout.runnerTimeoutMs, handler: (context: TestContext) => runLoadTest(context, plan, onAgentLost) }),
  })
}

async function runLoadTest(context: TestContext, plan: LoadTestPlan<LoadAssertion>, onAgentLost: AgentLostPolicy | undefined): Promise<void> {
  // The global setup's test run: this test's reports go into a folder of its own there, and the run's index names it.
  const target = inject('loadspecRun')
  const clusterProblem = inject('loadspecLocalClusterProblem')
  if (clusterProblem !== undefined) throw new Error(clusterProblem)
  const warn = (warning: string) => context.annotate(warning, 'loadspec warning').then(() => undefined)
  await recordedLoadTest(target, vitestIdentity(context), async (reportsInto, keep) => {
    // context.signal aborts when Vitest gives up on the test (its own timeout, a cancelled run).
    const { result, timedOut, aborted } = await runLoad(plan, providedConfig(), context.signal, reportsInto)
    keep(result)
    await report(context, result, target)
    if (timedOut) throw timeoutError(plan, result)
    if (aborted !== undefined) throw abortError(plan.name, plan.scenarios, result, aborted)
    await judgeLostAgents({
      testName: plan.name,
      result,
      policy: onAgentLost ?? inject('loadspecPlugin')?.onAgentLost ?? DEFAULT_AGENT_LOST_POLICY,
      assert: () => assertOrNoFailures(plan, result, context),
    })
    // expect.soft records its failures on the task instead of throwing.
    return context.task.result?.errors?.[0]
  }, warn)
}

function vitestIdentity(context: TestContext): LoadTestIdentity {
  const { task } = context
  // `.fails`: Vitest passes the test when it throws, and so does the run's index.
  return { key: task.id, name: task.name, fullName: task.fullTestName ?? task.name, file: task.file.filepath, ...(task.fails === true && { expectsFailure: true }) }
}

/** The test's own onAgentLost, checked where the user wrote it (planLoadTest checked that options is an object). */
function checkOnAgentLost(testName: string, options: unknown): AgentLostPolicy | undefined {
  const value = (options as LoadScenarioOptions | undefined)?.onAgentLost
  if (value === undefined || isAgentLostPolicy(value)) return value
  throw new TypeError(`loadScenario("${testName}"): options.${describeBadPolicy(value)}`)
}

/** The plugin's resolved config, or the defaults (a single node) when the plugin is not in use. */
function providedConfig(): LoadspecConfigInput {
  return inject('loadspec') ?? {}
}

async function report(context: TestContext, result: RunResult, target: TestRunTarget | undefined): Promise<void> {
  context.task.meta.loadspec = taskMeta(result, target === undefined ? undefined : reportPaths(target, result).runReport)
  for (const stats of result.scenarioStats) await context.annotate(summaryLine(stats, result.nodes.length), 'loadspec')
  const where = target === undefined ? undefined : reportLine(target, result)
  if (where !== undefined) await context.annotate(where, 'loadspec')
  for (const warning of result.warnings) await context.annotate(warning, 'loadspec warning')
}
