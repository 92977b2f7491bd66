/**
 * loadScenario for Jest: one Jest test that runs load scenarios through the
 * engine's Runner and hands the RunResult to an assertion callback. The same
 * checks, deadline and timeout message as the Vitest task (../load-test.ts);
 * what differs is Jest's: `test(name, fn, timeout)` registers it, the config
 * comes from the environment the global setup wrote, and the summary lines
 * go to the test's console output (Jest has no annotations).
 */
import { expect, test } from '@jest/globals'
import type { LoadspecConfig } from '../../src/config/index.js'
import type { Scenario } from '../../src/engine/scenario.js'
import type { RunResult } from '../../src/result/result.js'
import { abortError } from '../abort-on-fail.js'
import { assertOrNoFailures, planLoadTest, runLoad, timeoutError, type LoadScenarioOptions as RunnerLoadScenarioOptions, type LoadTestPlan } from '../load-test.js'
import { summaryLine } from '../summary.js'
import type { AgentLostPolicy } from '../agent-lost.js'
import { recordedLoadTest, reportLine, type LoadTestIdentity, type TestRunTarget } from '../test-run.js'
import { configFromGlobalSetup, testRunFromGlobalSetup } from './config-handoff.js'
import { checkJestOnAgentLost, judgeJestLoadTest } from './verdict.js'

export interface LoadScenarioOptions extends RunnerLoadScenarioOptions {
  /**
   * A cluster agent lost mid-run: 'fail' (default) fails the test after the
   * assertion ran on the partial figures; 'warn' lets the assertion decide.
   */
  readonly onAgentLost?: AgentLostPolicy
}

/** Receives the merged result of the run; throw (or fail an `expect`) to fail the test. */
export type LoadAssertion = (result: RunResult) => void | Promise<void>

export interface LoadScenario {
  (name: string, scenarios: readonly Scenario[], assert?: LoadAssertion, options?: LoadScenarioOptions): void
}

export interface LoadScenarioAPI extends LoadScenario {
  /** Registered and reported as skipped; its arguments are still checked. */
  readonly skip: LoadScenario
  /** Only the `.only` tests of the file run. */
  readonly only: LoadScenario
  /** A placeholder: nothing runs, Jest lists it as todo. Takes loadScenario's arguments so either can become the other. */
  readonly todo: (name: string, scenarios?: readonly Scenario[], assert?: LoadAssertion, options?: LoadScenarioOptions) => void
}

/** The configuration loadspec/jest/global-setup resolved; undefined without it (loadScenario then uses the defaults). */
export function loadspecConfig(): LoadspecConfig | undefined {
  return configFromGlobalSetup()
}

/** Jest's `test`, `test.skip` or `test.only`. */
type JestTestFn = (name: string, fn: () => Promise<void>, timeout: number) => void

function registrar(define: JestTestFn): LoadScenario {
  return function loadScenario(name: unknown, scenarios: unknown, assert: unknown, options: unknown): void {
    refuseWhileTestsRun(name)
    const plan = planLoadTest<LoadAssertion>(name, scenarios, assert, options)
    const onAgentLost = checkJestOnAgentLost(plan.name, options)
    // The function takes no parameter: Jest treats one that declares a parameter as a `done`-callback test.
    define(plan.name, () => runLoadTest(plan, onAgentLost), plan.timeout.runnerTimeoutMs)
  } as LoadScenario
}

/** One test: runs `scenarios` with the global setup's config, then `assert(result)`. */
export const loadScenario: LoadScenarioAPI = Object.assign(
  registrar((name, fn, timeout) => test(name, fn, timeout)),
  {
    skip: registrar((name, fn, timeout) => test.skip(name, fn, timeout)),
    only: registrar((name, fn, timeout) => test.only(name, fn, timeout)),
    todo: (name: string): void => {
      refuseWhileTestsRun(name)
      if (typeof name !== 'string' || name.trim() === '') throw new TypeError(`loadScenario.todo(name, …): name must be a non-empty string, got ${JSON.stringify(name) ?? String(name)}`)
      test.todo(name)
    },
  },
)

/**
 * Jest collects a file's tests before it runs any; one registered later is
 * never run (Jest says "Tests cannot be nested"). Jest names the test that
 * started last and keeps the name after it ends, hence "in or after".
 */
function refuseWhileTestsRun(name: unknown): void {
  const started = expect.getState().currentTestName
  if (started === undefined) return
  throw new Error(
    `loadScenario(${JSON.stringify(name) ?? String(name)}) was called while Jest runs the file's tests (in or after the test "${started}"): ` +
      'Jest collects a file\'s tests before it runs any, so a load test registered now would never run. ' +
      'Call loadScenario at the top level of the test file or inside describe().',
  )
}

async function runLoadTest(plan: LoadTestPlan<LoadAssertion>, onAgentLost: AgentLostPolicy | undefined): Promise<void> {
  const target = testRunFromGlobalSetup()
  await recordedLoadTest(target, jestIdentity(plan.name), async (reportsInto, keep) => {
    // Jest gives a test no abort signal: the plan's deadline, which comes before Jest's timeout, stops the run.
    const { result, timedOut, aborted } = await runLoad(plan, configFromGlobalSetup() ?? {}, undefined, reportsInto)
    keep(result)
    report(result, target)
    if (timedOut) throw timeoutError(plan, result)
    if (aborted !== undefined) throw abortError(plan.name, plan.scenarios, result, aborted)
    await judgeJestLoadTest(plan.name, result, () => assertOrNoFailures(plan, result), onAgentLost)
    return undefined
  }, (warning) => console.warn(`loadspec warning: ${warning}`))
}

/** Jest names a test by its describe blocks and name joined with spaces; it has no id, so the full name is the key. */
function jestIdentity(name: string): LoadTestIdentity {
  const state = expect.getState()
  const fullName = state.currentTestName ?? name
  return { key: fullName, name, fullName, file: state.testPath ?? '' }
}

/** Jest prints a test file's console output under its results, for passed and failed tests alike. */
function report(result: RunResult, target: TestRunTarget | undefined): void {
  const lines = result.scenarioStats.map((stats) => summaryLine(stats, result.nodes.length))
  const where = target === undefined ? undefined : reportLine(target, result)
  if (where !== undefined) lines.push(where)
  if (lines.length > 0) console.info(`loadspec: ${lines.join('\nloadspec: ')}`)
  for (const warning of result.warnings) console.warn(`loadspec warning: ${warning}`)
}
