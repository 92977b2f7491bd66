/**
 * The resolved-config line: which keys were set, by whom, and which value a
 * higher source overrode, printed once when a run starts
 * (`loadspec config: AgentsCount=1 (CLI, overrides plugin option 2)`), so a
 * `--Key=` or a LOADSPEC_ variable that changed the run is never a surprise.
 */
import { relative } from 'node:path'
import { SECRET_MASK, maskUrlCredentials } from './errors.js'
import { keyInfo, type ConfigKey } from './keys.js'
import type { ConfigResolution, SetKey } from './resolve.js'
import type { LoadspecConfig } from './schema.js'
import type { SourcedValue } from './sources.js'

export interface ResolvedLineOptions {
  /** What builder calls are called where the run started: 'plugin option', 'Jest option', 'builder'. */
  readonly builderLabel: string
  /** File paths are shown relative to it; default process.cwd(). */
  readonly cwd?: string
}

/**
 * The line, or undefined when it would only repeat the code: it is printed
 * when a value came from the command line or the environment, or overrode
 * a different value of a lower source.
 */
export function resolvedConfigLine(resolution: ConfigResolution, options: ResolvedLineOptions): string | undefined {
  const worthSaying = resolution.setKeys.some((entry) => entry.winner.origin.source === 'cli' || entry.winner.origin.source === 'env' || overriddenValues(entry).length > 0)
  if (!worthSaying) return undefined
  const parts = resolution.setKeys.map((entry) => describeSetKey(entry, resolution.config, options))
  return `loadspec config: ${parts.join('; ')}`
}

/** `AgentsCount=1 (CLI, overrides plugin option 2)` */
function describeSetKey(entry: SetKey, config: LoadspecConfig, options: ResolvedLineOptions): string {
  const overrides = overriddenValues(entry).map((sourced) => `overrides ${sourceLabel(sourced, options)} ${shown(entry.key, sourced.value)}`)
  // runnerKey is accepted and dropped by the schema: it has no resolved value.
  const resolved = entry.key in config ? (config as unknown as Record<ConfigKey, unknown>)[entry.key] : entry.winner.value
  const value = shown(entry.key, resolved)
  return `${keyInfo(entry.key).pascal}=${value} (${[sourceLabel(entry.winner, options), ...overrides].join(', ')})`
}

/** Lower sources that gave another value (the same value twice overrides nothing). */
function overriddenValues(entry: SetKey): readonly SourcedValue[] {
  const won = plain(entry.winner.value)
  return entry.overridden.filter((sourced) => plain(sourced.value) !== won)
}

function sourceLabel(sourced: SourcedValue, options: ResolvedLineOptions): string {
  const { origin } = sourced
  switch (origin.source) {
    case 'cli':
      return 'CLI'
    case 'env':
      return `env ${origin.sourceDetail ?? keyInfo(sourced.key).env}`
    case 'builder':
      return options.builderLabel
    case 'file':
      return `file ${origin.sourceDetail === undefined ? 'config file' : relative(options.cwd ?? process.cwd(), origin.sourceDetail)}`
    case 'default':
      return 'default'
  }
}

function shown(key: ConfigKey, value: unknown): string {
  return keyInfo(key).secret ? SECRET_MASK : maskUrlCredentials(plain(value))
}

/** Lists as `a,b` (how they are written in the file and on the command line), everything else as text. */
function plain(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => String(item).trim()).join(',')
  return String(value).trim()
}
