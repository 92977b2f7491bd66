/**
 * The Jest project's loadspec options resolved into the final configuration,
 * in the order the Vitest plugin uses (k6's): CLI `--Key=value` >
 * `LOADSPEC_<KEY>` > options (`testEnvironmentOptions.loadspec`) > JSON file.
 */
import { resolveConfigWithSources, type ConfigResolution, type LoadspecConfig, type LoadspecConfigInput } from '../../src/config/index.js'
import { ConfigError } from '../../src/config/errors.js'
import { resolveLocalCluster, type ResolvedLocalCluster } from '../local-cluster/options.js'
import { CONFIG_ENV_VARIABLE, type Environment } from './config-handoff.js'

/** The part of Jest's ProjectConfig loadspec reads; Jest's own object fits it. */
export interface JestProjectConfigLike {
  /** Relative config files (`configFile`) resolve against it. */
  readonly rootDir: string
  /** `{ loadspec: { …config keys in camelCase, configFile } }`; Jest passes the object on untouched. */
  readonly testEnvironmentOptions?: Readonly<Record<string, unknown>>
}

export function resolveJestConfig(projectConfig: JestProjectConfigLike, argv: readonly string[], env: Readonly<Environment>): LoadspecConfig {
  return resolveJestConfigWithSources(projectConfig, argv, env).config
}

/** resolveJestConfig, with where each value came from (for the resolved-config line). */
export function resolveJestConfigWithSources(projectConfig: JestProjectConfigLike, argv: readonly string[], env: Readonly<Environment>): ConfigResolution {
  return resolveConfigWithSources({ builder: loadspecOptions(projectConfig), argv: withoutJestConfigFlag(argv), env: withoutHandoff(env), cwd: projectConfig.rootDir })
}

/** `testEnvironmentOptions.loadspec.localCluster` with its defaults; undefined without it. Throws ConfigError naming every problem. */
export function resolveJestLocalCluster(projectConfig: JestProjectConfigLike): ResolvedLocalCluster | undefined {
  const options = projectConfig.testEnvironmentOptions?.['loadspec'] as { localCluster?: unknown } | undefined
  const resolution = resolveLocalCluster(options?.localCluster, 'testEnvironmentOptions.loadspec.localCluster')
  if (!resolution.ok) throw new ConfigError(resolution.issues)
  return resolution.value
}

function loadspecOptions(projectConfig: JestProjectConfigLike): LoadspecConfigInput {
  const options = projectConfig.testEnvironmentOptions?.['loadspec']
  if (options === undefined || options === null) return {}
  if (typeof options !== 'object' || Array.isArray(options)) {
    const got = Array.isArray(options) ? 'an array' : `${typeof options} ${JSON.stringify(options)}`
    throw new TypeError(`testEnvironmentOptions.loadspec in the Jest config must be an object of loadspec options (config keys in camelCase, plus configFile), got ${got}`)
  }
  // Keys and values are checked by resolveConfig, which names every unknown or bad one; localCluster is the adapter's own.
  const { localCluster: _localCluster, ...configOptions } = options as LoadspecConfigInput & { localCluster?: unknown }
  return configOptions
}

/**
 * `--config=jest.config.json` is Jest's own flag, and the engine would take a
 * .json value for loadspec's file: loadspec's file is `--ConfigFile=…` here.
 */
function withoutJestConfigFlag(argv: readonly string[]): string[] {
  return argv.filter((token) => !/^--config=/i.test(token))
}

/** Watch mode reruns the global setup in the same process: the previous run's handoff is no input. */
function withoutHandoff(env: Readonly<Environment>): Environment {
  const { [CONFIG_ENV_VARIABLE]: _previous, ...rest } = env
  return rest
}
