/**
 * Configuration errors. Every problem found in every source is collected
 * into one ConfigError, so a user fixes them all in one round instead of
 * meeting them one run at a time.
 */

export type ConfigSource = 'builder' | 'cli' | 'env' | 'file' | 'default'

export interface ConfigIssue {
  /** Where the key sits in its source: `LoadStrike.AgentsCount` (file), `agentsCount` (builder), `AgentsCount` (cli, env, default); '' for a whole file. */
  readonly keyPath: string
  /** The offending value as given; secrets are replaced by `***`. */
  readonly value: unknown
  readonly source: ConfigSource
  /** File path, environment variable name, or argv token (secrets masked). */
  readonly sourceDetail?: string
  /** What would have been accepted, in words. */
  readonly expected: string
  /** One complete line: what is wrong, the value, where it came from, what to do. */
  readonly message: string
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  readonly issues: readonly ConfigIssue[]

  constructor(issues: readonly ConfigIssue[]) {
    super(formatIssues(issues))
    this.issues = issues
  }
}

/** Where a value came from, as the user would recognise it. */
export interface ValueOrigin {
  readonly source: ConfigSource
  readonly keyPath: string
  readonly sourceDetail?: string
}

/** `from /abs/loadspec.config.json at LoadStrike.AgentsCount`, `from environment LOADSPEC_NODE_TYPE`, … */
export function describeOrigin(origin: ValueOrigin): string {
  switch (origin.source) {
    case 'builder':
      return `from builder/plugin option ${origin.keyPath}`
    case 'cli':
      return `from command line ${origin.sourceDetail ?? origin.keyPath}`
    case 'env':
      return `from environment ${origin.sourceDetail ?? origin.keyPath}`
    case 'file':
      return `from ${origin.sourceDetail ?? 'config file'}${origin.keyPath ? ` at ${origin.keyPath}` : ''}`
    case 'default':
      return 'default'
  }
}

/** A value as it appears in a message: strings quoted, long values cut. */
export function displayValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  let text: string
  try {
    text = JSON.stringify(value) ?? String(value)
  } catch {
    text = String(value)
  }
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS - 1)}…` : text
}

export const SECRET_MASK = '***'

/** Replaces the user-info part of URLs (`nats://user:pass@host`, `nats://token@host`): it carries credentials. */
export function maskUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@/,\s]*@/gi, `$1${SECRET_MASK}@`)
}

const MAX_SHOWN_CHARS = 80

function formatIssues(issues: readonly ConfigIssue[]): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`
  return [`Invalid loadspec configuration (${count}):`, ...issues.map((issue) => `  - ${issue.message}`)].join('\n')
}
