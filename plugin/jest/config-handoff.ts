/**
 * How the configuration resolved by the global setup reaches loadScenario in
 * Jest's test workers: as JSON in an environment variable. Workers are child
 * processes started after the global setup and inherit its process.env;
 * globalThis does not reach them (it only seems to when Jest runs in band).
 */
import type { LoadspecConfig } from '../../src/config/index.js'

/** Not a config key: readEnv ignores LOADSPEC_ variables that are not near misses of one. */
export const CONFIG_ENV_VARIABLE = 'LOADSPEC_JEST_RESOLVED_CONFIG'

export type Environment = Record<string, string | undefined>

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
