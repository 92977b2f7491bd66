/**
 * How the configuration resolved by the global setup reaches loadScenario in
 * Jest's test workers: as JSON in an environment variable. Workers are child
 * processes started after the global setup and inherit its process.env;
 * globalThis does not reach them (it only seems to when Jest runs in band).
 */
import type { LoadspecConfig } from '../../src/config/index.js'
import type { TestRunTarget } from '../test-run.js'

/** Not a config key: readEnv ignores LOADSPEC_ variables that are not near misses of one. */
export const CONFIG_ENV_VARIABLE = 'LOADSPEC_JEST_RESOLVED_CONFIG'

export type Environment = Record<string, string | undefined>

/** Where the test run's reports go (a TestRunTarget as JSON); unset when reports are off. */
export const TEST_RUN_ENV_VARIABLE = 'LOADSPEC_JEST_TEST_RUN'

export function handTestRunToWorkers(target: TestRunTarget | undefined, env: Environment = process.env): void {
  if (target === undefined) delete env[TEST_RUN_ENV_VARIABLE]
  else env[TEST_RUN_ENV_VARIABLE] = JSON.stringify(target)
}

/** The test run the global setup planned, or undefined (no global setup, reports off, or not its JSON). */
export function testRunFromGlobalSetup(env: Readonly<Environment> = process.env): TestRunTarget | undefined {
  const json = env[TEST_RUN_ENV_VARIABLE]
  if (json === undefined || json === '') return undefined
  try {
    const parsed = JSON.parse(json) as Partial<TestRunTarget>
    if (typeof parsed.folder === 'string' && typeof parsed.root === 'string' && typeof parsed.writesIndex === 'boolean') return parsed as TestRunTarget
  } catch {
    // Not what the global setup writes: no test-run report, the tests still run.
  }
  return undefined
}

export function handConfigToWorkers(config: LoadspecConfig, env: Environment = process.env): void {
  env[CONFIG_ENV_VARIABLE] = JSON.stringify(config)
}

/**
 * The configuration the global setup handed over, or undefined when
 * loadspec/jest/global-setup did not run (loadScenario then uses the defaults:
 * a single node). The Runner validates it again before anything starts.
 */
export function configFromGlobalSetup(env: Readonly<Environment> = process.env): LoadspecConfig | undefined {
  const json = env[CONFIG_ENV_VARIABLE]
  if (json === undefined || json === '') return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch (error) {
    throw new Error(`${CONFIG_ENV_VARIABLE} is not the JSON that loadspec/jest/global-setup writes (${error instanceof Error ? error.message : String(error)}); unset it and let the global setup set it`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${CONFIG_ENV_VARIABLE} must hold a JSON object written by loadspec/jest/global-setup, got ${json.slice(0, 80)}`)
  }
  return parsed as LoadspecConfig
}
