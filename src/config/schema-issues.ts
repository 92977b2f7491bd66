/**
 * Turns the schema's issues into ConfigIssues: the schema knows what is
 * wrong with a value, the merged sources know where the value came from;
 * each line of a ConfigError needs both.
 */
import type { z } from 'zod'
import { SECRET_MASK, describeOrigin, displayValue, maskUrlCredentials, type ConfigIssue, type ValueOrigin } from './errors.js'
import { CONFIG_KEY_NAMES, keyInfo, type ConfigKey } from './keys.js'
import type { SourcedValue } from './sources.js'

/** The winning value of each key that some source set. */
export type MergedValues = ReadonlyMap<ConfigKey, SourcedValue>

export function toConfigIssue(issue: z.core.$ZodIssue, merged: MergedValues): ConfigIssue {
  const key = CONFIG_KEY_NAMES.find((name) => name === issue.path[0])
  if (!key) return unplacedIssue(issue)
  const { pascal } = keyInfo(key)
  const given = merged.get(key)
  // Cross-field rules may fire on a default, which only the issue's input holds.
  const value = redact(key, given ? given.value : issue.input)
  const params = readParams(issue)
  const entry = entryNote(key, issue, value)
  const where = [ownOrigin(given, value), ...params.related.map((related) => relatedOrigin(related, merged))].join('; ')
  const origin: ValueOrigin = given?.origin ?? { source: 'default', keyPath: pascal }
  return {
    keyPath: origin.keyPath,
    value,
    source: origin.source,
    ...(origin.sourceDetail !== undefined && { sourceDetail: origin.sourceDetail }),
    expected: issue.message,
    message: maskUrlCredentials(`${pascal} must be ${issue.message}, got ${shown(value)}${entry} (${where})${params.hint ? ` — ${params.hint}` : ''}`),
  }
}

/** Secrets never leave as themselves; URLs lose their user-info (it carries credentials). */
export function redact(key: ConfigKey, value: unknown): unknown {
  if (value === undefined) return undefined
  if (keyInfo(key).secret) return SECRET_MASK
  if (typeof value === 'string') return maskUrlCredentials(value)
  if (Array.isArray(value)) return value.map((entry: unknown) => (typeof entry === 'string' ? maskUrlCredentials(entry) : entry))
  return value
}

/** Which entry of a list failed, when the list holds more than that entry. */
function entryNote(key: ConfigKey, issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.path.length < 2 || issue.input === undefined) return ''
  const entry = shown(redact(key, issue.input))
  return entry === shown(value) ? '' : ` (entry ${entry})`
}

function shown(value: unknown): string {
  return value === SECRET_MASK ? SECRET_MASK : displayValue(value)
}

function ownOrigin(given: SourcedValue | undefined, value: unknown): string {
  if (given) return describeOrigin(given.origin)
  return value === undefined ? 'not set' : 'default'
}

function relatedOrigin(key: ConfigKey, merged: MergedValues): string {
  const given = merged.get(key)
  return `${keyInfo(key).pascal} ${given ? describeOrigin(given.origin) : 'by default'}`
}

function readParams(issue: z.core.$ZodIssue): { hint?: string; related: ConfigKey[] } {
  const params: Record<string, unknown> = issue.code === 'custom' ? (issue.params ?? {}) : {}
  const hint = typeof params.hint === 'string' ? params.hint : undefined
  const related = Array.isArray(params.related) ? CONFIG_KEY_NAMES.filter((name) => (params.related as unknown[]).includes(name)) : []
  return { ...(hint !== undefined && { hint }), related }
}

/** Not expected (every issue sits under a key), but never lose a problem. */
function unplacedIssue(issue: z.core.$ZodIssue): ConfigIssue {
  const keyPath = issue.path.map(String).join('.')
  return { keyPath, value: undefined, source: 'default', expected: issue.message, message: `${keyPath || 'Configuration'}: ${issue.message}` }
}
