/**
 * How long a loadScenario test may take, derived from its scenarios' load
 * shapes so users do not hand-tune `testTimeout`. Pure: no clock, no Vitest.
 */
import { loadPlanMs, type Scenario } from '../src/engine/scenario.js'
import { describeSimulation, formatDuration } from '../src/simulations/index.js'

export interface LoadTestTimeout {
  /** When loadScenario stops the run and fails the test with its own message. */
  readonly timeoutMs: number
  /** What the test runner (Vitest, Jest) enforces: the run gets time to stop gracefully and clean up after the deadline. */
  readonly runnerTimeoutMs: number
  /** Where timeoutMs comes from, for the timeout message. */
  readonly reason: string
  /** Scenarios whose length depends on the target (iteration counts), named in the timeout message. */
  readonly unboundedScenarios: readonly string[]
}

/** Added to the load's length: init and clean hooks, the first connections, a busy CI machine. */
export const MIN_MARGIN_MS = 10_000
export const MARGIN_SHARE = 0.2
/** For scenarios that end when their iterations are done: how long that takes depends on the target. */
export const ITERATION_COUNT_TIMEOUT_MS = 10 * 60_000
/** After the deadline, on top of the longest graceful stop, for clean hooks to finish. */
export const STOP_ALLOWANCE_MS = 10_000
/** setTimeout's ceiling; a longer timeout would fire at once. */
const MAX_TIMER_MS = 2_147_483_647

export function loadTestTimeout(scenarios: readonly Scenario[], explicitTimeoutMs?: number): LoadTestTimeout {
  const lengths = scenarios.map(scenarioLength)
  const unboundedScenarios = lengths.filter((length) => length.loadMs === Infinity).map((length) => length.description)
  const longestGracefulStopMs = Math.max(0, ...scenarios.map((scenario) => scenario.settings.gracefulStopMs))
  const withAllowance = (timeoutMs: number): number => Math.min(MAX_TIMER_MS, timeoutMs + longestGracefulStopMs + STOP_ALLOWANCE_MS)

  if (explicitTimeoutMs !== undefined) {
    return { timeoutMs: explicitTimeoutMs, runnerTimeoutMs: withAllowance(explicitTimeoutMs), reason: 'options.timeout', unboundedScenarios }
  }
  if (unboundedScenarios.length > 0) {
    const reason = `the default for iteration-count load simulations (${unboundedScenarios.join('; ')}), which end only when their iterations are done`
    return { timeoutMs: ITERATION_COUNT_TIMEOUT_MS, runnerTimeoutMs: withAllowance(ITERATION_COUNT_TIMEOUT_MS), reason, unboundedScenarios }
  }
  // Scenarios run side by side: the longest one (warm-up + load) sets the pace.
  const longest = lengths.reduce((a, b) => (b.warmUpMs + b.loadMs > a.warmUpMs + a.loadMs ? b : a), { warmUpMs: 0, loadMs: 0, description: '' })
  const runMs = longest.warmUpMs + longest.loadMs + longestGracefulStopMs
  const marginMs = Math.max(MIN_MARGIN_MS, Math.ceil(runMs * MARGIN_SHARE))
  const timeoutMs = Math.min(MAX_TIMER_MS, runMs + marginMs)
  const reason =
    `derived from the load simulations: warm-up ${formatDuration(longest.warmUpMs)} + load ${formatDuration(longest.loadMs)}` +
    ` + graceful stop ${formatDuration(longestGracefulStopMs)} + margin ${formatDuration(marginMs)}`
  return { timeoutMs, runnerTimeoutMs: withAllowance(timeoutMs), reason, unboundedScenarios }
}

interface ScenarioLength {
  readonly warmUpMs: number
  /** Infinity when the load ends by an iteration count. */
  readonly loadMs: number
  readonly description: string
}

function scenarioLength(scenario: Scenario): ScenarioLength {
  const { loadSimulations, warmUpMs } = scenario.settings
  const description = `scenario "${scenario.name}": ${loadSimulations.map(describeSimulation).join(', ') || 'no load'}`
  // Scenario.empty has no load at all: only init and clean run.
  if (loadSimulations.length === 0) return { warmUpMs: 0, loadMs: 0, description }
  try {
    return { warmUpMs, loadMs: loadPlanMs(scenario), description }
  } catch {
    // Simulations that do not combine (open with closed, …): the run reports that in this test, at once.
    return { warmUpMs, loadMs: 0, description }
  }
}

/** Checks `options.timeout` where the user wrote it, at registration. */
export function checkExplicitTimeout(testName: string, timeout: unknown): number | undefined {
  if (timeout === undefined) return undefined
  if (typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0 && timeout <= MAX_TIMER_MS) return timeout
  throw new RangeError(`loadScenario("${testName}"): options.timeout must be a positive number of milliseconds (at most ${MAX_TIMER_MS}), got ${String(timeout)}`)
}
