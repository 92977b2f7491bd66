/**
 * resolveConfig: gather every source, let each key take its value from the
 * highest-precedence source that set it (builder > CLI > environment >
 * JSON file > default), then validate the merged result once. Every
 * problem from every step ends up in one ConfigError.
 */
import type { z } from 'zod'
import { readConfigFile, type ConfigFileReading } from './config-file.js'
import { ConfigError, type ConfigIssue } from './errors.js'
import type { ConfigKey } from './keys.js'
import { loadspecConfigSchema, type LoadspecConfig, type LoadspecConfigInput } from './schema.js'
import { toConfigIssue, type MergedValues } from './schema-issues.js'
import { readArgv, readBuilder, readEnv, type ConfigFileRef, type SourceReading, type SourcedValue } from './sources.js'

export interface ResolveConfigOptions {
  /** Builder calls / plugin options: the highest precedence. */
  readonly builder?: LoadspecConfigInput
  /** Command-line arguments; default `process.argv.slice(2)`. */
  readonly argv?: readonly string[]
  /** Environment; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** JSON config file; wins over builder.configFile, `--config=` and LOADSPEC_CONFIG_FILE. */
  readonly configFile?: string
  /** Where relative config file paths resolve; default `process.cwd()`. */
  readonly cwd?: string
}

/** The validated configuration; throws ConfigError listing every problem found. */
export function resolveConfig(options: ResolveConfigOptions = {}): LoadspecConfig {
  const builder = readBuilder(options.builder ?? {})
  const cli = readArgv(options.argv ?? process.argv.slice(2))
  const env = readEnv(options.env ?? process.env)
  const fileRef = pickConfigFile(options.configFile, [builder, cli, env])
  const file = fileRef ? readConfigFile(fileRef, options.cwd ?? process.cwd()) : undefined

  // Highest precedence first.
  const sources: readonly SourceReading[] = [builder, cli, env, ...(file ? [file] : [])]
  const merged = mergeByPrecedence(sources)
  const issues: ConfigIssue[] = sources.flatMap((source) => source.issues)

  const parsed = loadspecConfigSchema.safeParse(Object.fromEntries([...merged].map(([key, { value }]) => [key, value])), { reportInput: true })
  if (parsed.success && issues.length === 0) return parsed.data
  if (!parsed.success) issues.push(...schemaIssues(parsed.error.issues, merged, file))
  throw new ConfigError(issues)
}

function pickConfigFile(explicit: string | undefined, sources: readonly SourceReading[]): ConfigFileRef | undefined {
  if (explicit !== undefined) return { path: explicit, origin: { source: 'builder', keyPath: 'configFile' } }
  return sources.find((source) => source.configFile)?.configFile
}

function mergeByPrecedence(sources: readonly SourceReading[]): MergedValues {
  const merged = new Map<ConfigKey, SourcedValue>()
  for (const source of sources) {
    for (const sourced of source.values) if (!merged.has(sourced.key)) merged.set(sourced.key, sourced)
  }
  return merged
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
