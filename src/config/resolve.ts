/**
 * resolveConfig: gather every source, let each key take its value from the
 * highest-precedence source that set it (CLI > environment > builder calls
 * and plugin options > JSON file > default, k6's order: what a person types
 * when starting a run beats what the code says), then validate the merged
 * result once. Every problem from every step ends up in one ConfigError.
 */
import type { z } from 'zod'
import { readConfigFile, type ConfigFileReading } from './config-file.js'
import { ConfigError, type ConfigIssue } from './errors.js'
import { CONFIG_KEY_NAMES, type ConfigKey } from './keys.js'
import { loadspecConfigSchema, type LoadspecConfig, type LoadspecConfigInput } from './schema.js'
import { toConfigIssue, type MergedValues } from './schema-issues.js'
import { readArgv, readBuilder, readEnv, type ConfigFileRef, type SourceReading, type SourcedValue } from './sources.js'

export interface ResolveConfigOptions {
  /** Builder calls / plugin options: below the CLI and the environment, above the JSON file. */
  readonly builder?: LoadspecConfigInput
  /** Command-line arguments; default `process.argv.slice(2)`. The highest precedence. */
  readonly argv?: readonly string[]
  /** Environment; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** JSON config file named in code (`loadConfig(path)`); `--config=` and LOADSPEC_CONFIG_FILE win over it, and it over builder.configFile. */
  readonly configFile?: string
  /** Where relative config file paths resolve; default `process.cwd()`. */
  readonly cwd?: string
}

/** A key some source set: the value that won and, highest first, the values of lower sources it overrode. */
export interface SetKey {
  readonly key: ConfigKey
  readonly winner: SourcedValue
  readonly overridden: readonly SourcedValue[]
}

export interface ConfigResolution {
  readonly config: LoadspecConfig
  /** Every key that some source set, in the order of CONFIG_KEY_NAMES. */
  readonly setKeys: readonly SetKey[]
}

/** The validated configuration; throws ConfigError listing every problem found. */
export function resolveConfig(options: ResolveConfigOptions = {}): LoadspecConfig {
  return resolveConfigWithSources(options).config
}

/** resolveConfig, plus where each value came from and what it overrode (for the resolved-config line). */
export function resolveConfigWithSources(options: ResolveConfigOptions = {}): ConfigResolution {
  const builder = readBuilder(options.builder ?? {})
  const cli = readArgv(options.argv ?? process.argv.slice(2))
  const env = readEnv(options.env ?? process.env)
  const fileRef = pickConfigFile(options.configFile, [cli, env, builder])
  const file = fileRef ? readConfigFile(fileRef, options.cwd ?? process.cwd()) : undefined

  // Highest precedence first.
  const sources: readonly SourceReading[] = [cli, env, builder, ...(file ? [file] : [])]
  const setKeys = mergeByPrecedence(sources)
  const merged: MergedValues = new Map(setKeys.map((entry) => [entry.key, entry.winner]))
  const issues: ConfigIssue[] = [builder, cli, env, ...(file ? [file] : [])].flatMap((source) => source.issues)

  const parsed = loadspecConfigSchema.safeParse(Object.fromEntries([...merged].map(([key, { value }]) => [key, value])), { reportInput: true })
  if (parsed.success && issues.length === 0) return { config: parsed.data, setKeys }
  if (!parsed.success) issues.push(...schemaIssues(parsed.error.issues, merged, file))
  throw new ConfigError(issues)
}

/** The file a person names when starting the run (CLI, then environment) wins over the one the code names. */
function pickConfigFile(fromCode: string | undefined, [cli, env, builder]: readonly SourceReading[]): ConfigFileRef | undefined {
  const explicit: ConfigFileRef | undefined = fromCode === undefined ? undefined : { path: fromCode, origin: { source: 'builder', keyPath: 'configFile' } }
  return cli?.configFile ?? env?.configFile ?? explicit ?? builder?.configFile
}

function mergeByPrecedence(sources: readonly SourceReading[]): SetKey[] {
  const byKey = new Map<ConfigKey, SourcedValue[]>()
  for (const source of sources) {
    for (const sourced of source.values) {
      const values = byKey.get(sourced.key)
      if (values === undefined) byKey.set(sourced.key, [sourced])
      else values.push(sourced)
    }
  }
  return CONFIG_KEY_NAMES.flatMap((key) => {
    const [winner, ...overridden] = byKey.get(key) ?? []
    return winner === undefined ? [] : [{ key, winner, overridden }]
  })
}

function schemaIssues(zodIssues: readonly z.core.$ZodIssue[], merged: MergedValues, file: ConfigFileReading | undefined): ConfigIssue[] {
  // A file that could not be read leaves keys unset that it probably sets: cross-field
  // rules would then complain about values the user did give. Report the file instead.
  const relevant = file && !file.loaded ? zodIssues.filter((issue) => !isCrossFieldIssue(issue)) : zodIssues
  return relevant.map((issue) => toConfigIssue(issue, merged))
}

function isCrossFieldIssue(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'custom' && Array.isArray(issue.params?.related)
}
