/**
 * Reading raw values out of the builder/plugin options, the command line and
 * the environment. Nothing is validated here except key names: values stay
 * as given, tagged with where they came from, so the one schema sees them
 * all and every message can name the source.
 */
import { SECRET_MASK, maskUrlCredentials, type ConfigIssue, type ValueOrigin } from './errors.js'
import { CONFIG_KEY_NAMES, configFileOption, keyInfo, normalizeKeyName, suggestKey, toCamelCaseKey, type ConfigKey } from './keys.js'

export interface SourcedValue {
  readonly key: ConfigKey
  readonly value: unknown
  readonly origin: ValueOrigin
}

/** Where the JSON config file was named, and by what. */
export interface ConfigFileRef {
  readonly path: string
  readonly origin: ValueOrigin
}

export interface SourceReading {
  readonly values: readonly SourcedValue[]
  readonly issues: readonly ConfigIssue[]
  readonly configFile?: ConfigFileRef
}

/**
 * Builder calls and plugin options (camelCase). Unknown names are errors:
 * plugin options written in plain JavaScript get no type check otherwise.
 */
export function readBuilder(input: object): SourceReading {
  const values: SourcedValue[] = []
  const issues: ConfigIssue[] = []
  let configFile: ConfigFileRef | undefined
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue
    const origin: ValueOrigin = { source: 'builder', keyPath: name }
    if (name === configFileOption.camel) {
      if (typeof value === 'string') configFile = { path: value, origin }
      else issues.push(configFileNotText(value, origin))
      continue
    }
    const key = CONFIG_KEY_NAMES.find((known) => known === name)
    if (key) values.push({ key, value, origin })
    else issues.push(unknownBuilderOption(name, value))
  }
  return { values, issues, ...(configFile && { configFile }) }
}

/**
 * `--Key=value` tokens, key in any spelling (`--NodeType`, `--nodetype`,
 * `--node-type`). argv also carries the test runner's own flags, so other
 * tokens are left alone unless their name is a near miss of a known key.
 * A key given twice takes its last value, as command lines usually do.
 */
export function readArgv(argv: readonly string[]): SourceReading {
  const byKey = new Map<ConfigKey, SourcedValue>()
  const issues: ConfigIssue[] = []
  let configFile: ConfigFileRef | undefined
  for (const token of argv) {
    const match = /^--([A-Za-z][\w.-]*)(?:=(.*))?$/s.exec(token)
    if (!match?.[1]) continue
    const name = match[1]
    const value = match[2]
    const normalized = normalizeKeyName(name)
    // `--config` is also Vitest's own flag (vitest.config.ts): only a .json value is ours.
    if ((normalized === 'config' && value !== undefined && /\.json$/i.test(value.trim())) || (normalized === 'configfile' && value !== undefined)) {
      configFile = { path: value.trim(), origin: { source: 'cli', keyPath: configFileOption.pascal, sourceDetail: token } }
      continue
    }
    const key = toCamelCaseKey(name)
    if (key && value === undefined) issues.push(missingCliValue(key, token))
    else if (key && value !== undefined) {
      const sourceDetail = `--${name}=${maskedText(key, value)}`
      byKey.set(key, { key, value, origin: { source: 'cli', keyPath: keyInfo(key).pascal, sourceDetail } })
    } else if (value !== undefined) {
      const suggestion = suggestKey(name)
      if (suggestion) issues.push(unknownCliOption(name, suggestion))
    }
  }
  return { values: [...byKey.values()], issues, ...(configFile && { configFile }) }
}

/**
 * `LOADSPEC_<KEY>` variables, key in any spelling (LOADSPEC_NODE_TYPE,
 * LOADSPEC_NODETYPE). Blank values count as unset, the usual convention for
 * environment variables. Other LOADSPEC_ variables may belong to other parts
 * of loadspec (e.g. handing config to test workers), so only near misses of
 * a key are reported.
 */
export function readEnv(env: Readonly<Record<string, string | undefined>>): SourceReading {
  const byKey = new Map<ConfigKey, SourcedValue>()
  const issues: ConfigIssue[] = []
  let configFile: ConfigFileRef | undefined
  for (const [name, value] of Object.entries(env)) {
    if (!/^LOADSPEC_/i.test(name) || value === undefined || value.trim() === '') continue
    const rest = name.slice('LOADSPEC_'.length)
    if (normalizeKeyName(rest) === 'configfile') {
      configFile = { path: value.trim(), origin: { source: 'env', keyPath: configFileOption.pascal, sourceDetail: name } }
      continue
    }
    const key = toCamelCaseKey(rest)
    if (!key) {
      const suggestion = suggestKey(rest)
      if (suggestion) issues.push(unknownEnvVariable(name, suggestion))
      continue
    }
    const earlier = byKey.get(key)
    if (earlier && earlier.value !== value) issues.push(conflictingEnvVariables(key, earlier, name, value))
    byKey.set(key, { key, value, origin: { source: 'env', keyPath: keyInfo(key).pascal, sourceDetail: name } })
  }
  return { values: [...byKey.values()], issues, ...(configFile && { configFile }) }
}

/** A value as it may appear in a message or an argv token: secrets hidden, URL credentials masked. */
export function maskedText(key: ConfigKey, value: string): string {
  return keyInfo(key).secret ? SECRET_MASK : maskUrlCredentials(value)
}

function unknownBuilderOption(name: string, value: unknown): ConfigIssue {
  const suggestion = toCamelCaseKey(name) ?? suggestKey(name)
  const advice = suggestion ? `did you mean "${suggestion}"?` : `remove it; known options: ${[...CONFIG_KEY_NAMES, configFileOption.camel].join(', ')}`
  const secret = suggestion !== undefined && suggestion !== configFileOption.camel && keyInfo(suggestion).secret
  return {
    keyPath: name,
    value: secret ? SECRET_MASK : value,
    source: 'builder',
    expected: 'a known option',
    message: `Unknown builder/plugin option "${name}" — ${advice}`,
  }
}

function unknownCliOption(name: string, suggestion: ConfigKey | typeof configFileOption.camel): ConfigIssue {
  const spelled = spellLike(name, suggestion)
  return {
    keyPath: name,
    // The value may be a secret meant for the suggested key: never echo it.
    value: SECRET_MASK,
    source: 'cli',
    sourceDetail: `--${name}=${SECRET_MASK}`,
    expected: 'a known option',
    message: `Unknown option "--${name}" (from command line) — did you mean "--${spelled}"?`,
  }
}

function unknownEnvVariable(name: string, suggestion: ConfigKey | typeof configFileOption.camel): ConfigIssue {
  const envName = suggestion === configFileOption.camel ? configFileOption.env : keyInfo(suggestion).env
  return {
    keyPath: name,
    value: SECRET_MASK,
    source: 'env',
    sourceDetail: name,
    expected: 'a known LOADSPEC_ variable',
    message: `Unknown environment variable ${name} — did you mean ${envName}?`,
  }
}

function conflictingEnvVariables(key: ConfigKey, earlier: SourcedValue, name: string, value: string): ConfigIssue {
  const info = keyInfo(key)
  const shown = (text: unknown): string => (typeof text === 'string' ? `"${maskedText(key, text)}"` : String(text))
  return {
    keyPath: info.pascal,
    value: info.secret ? SECRET_MASK : value,
    source: 'env',
    sourceDetail: name,
    expected: 'one environment variable per key',
    message: `${info.pascal} is set twice in the environment, to different values: ${earlier.origin.sourceDetail}=${shown(earlier.value)} and ${name}=${shown(value)} — keep one`,
  }
}

function missingCliValue(key: ConfigKey, token: string): ConfigIssue {
  const { pascal } = keyInfo(key)
  return {
    keyPath: pascal,
    value: undefined,
    source: 'cli',
    sourceDetail: token,
    expected: 'a value written as --Key=value',
    message: `${pascal} needs a value (from command line ${token}) — write it as ${token}=<value>`,
  }
}

function configFileNotText(value: unknown, origin: ValueOrigin): ConfigIssue {
  return {
    keyPath: origin.keyPath,
    value,
    source: origin.source,
    expected: 'a file path',
    message: `configFile must be a file path, got ${typeof value} (from builder/plugin option ${origin.keyPath})`,
  }
}

/** Suggest in the user's own style: `--agents-count` for kebab input, `--AgentsCount` otherwise. */
function spellLike(input: string, camel: string): string {
  if (input.includes('-')) return camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
  return camel.charAt(0).toUpperCase() + camel.slice(1)
}
