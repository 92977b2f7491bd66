/**
 * `localCluster: { agents, scenarios }`, the plugin option (and Jest's
 * `testEnvironmentOptions.loadspec.localCluster`) that makes the global
 * setup start a nats-server and agent processes for the whole `vitest`
 * session. Checked with zod where the user wrote it; every problem comes
 * back as a ConfigIssue, so one ConfigError lists it beside bad config keys.
 */
import { availableParallelism } from 'node:os'
import { z } from 'zod'
import type { ConfigIssue } from '../../src/config/errors.js'

/** What a user writes. */
export interface LocalClusterOptions {
  /** Agent processes to start. Default: the number of cores (`os.availableParallelism()`). */
  readonly agents?: number
  /**
   * The scenario modules every agent loads (a file or glob, relative to the
   * project root, or several). Default: `['**\/scenarios.ts', '**\/*.scenarios.ts']`.
   */
  readonly scenarios?: string | readonly string[]
}

/** With its defaults. */
export interface ResolvedLocalCluster {
  readonly agents: number
  readonly scenarios: readonly string[]
}

export const DEFAULT_LOCAL_CLUSTER_SCENARIOS: readonly string[] = ['**/scenarios.ts', '**/*.scenarios.ts']

/** More agents than this on one machine helps nobody and would fork-bomb a typo (`agents: 2000`). */
const MAX_LOCAL_AGENTS = 64

const localClusterSchema = z.strictObject({
  agents: z.int({ error: 'must be a whole number of agent processes' }).min(1, { error: 'must be at least 1' }).max(MAX_LOCAL_AGENTS, { error: `must be at most ${MAX_LOCAL_AGENTS}` }).optional(),
  scenarios: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: 'must be a file or glob, or a non-empty array of them' }).optional(),
})

export type LocalClusterResolution = { readonly ok: true; readonly value: ResolvedLocalCluster | undefined } | { readonly ok: false; readonly issues: readonly ConfigIssue[] }

/** `where` names the option as the user wrote it: `localCluster` (Vitest) or `testEnvironmentOptions.loadspec.localCluster` (Jest). */
export function resolveLocalCluster(value: unknown, where = 'localCluster'): LocalClusterResolution {
  if (value === undefined || value === false) return { ok: true, value: undefined }
  // `localCluster: true` takes every default.
  const parsed = localClusterSchema.safeParse(value === true ? {} : value)
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => {
        const keyPath = [where, ...issue.path.map(String)].join('.')
        const given = issue.path.reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined), value)
        const expected = issue.code === 'unrecognized_keys' ? 'only agents and scenarios' : issue.message
        const message =
          issue.code === 'unrecognized_keys'
            ? `${keyPath} has unknown option${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => `"${key}"`).join(', ')}: it takes { agents, scenarios } (from plugin option ${where})`
            : `${keyPath} ${issue.message}, got ${JSON.stringify(given) ?? String(given)} (from plugin option ${keyPath})`
        return { keyPath, value: given, source: 'builder', expected, message }
      }),
    }
  }
  const { agents, scenarios } = parsed.data
  return {
    ok: true,
    value: {
      agents: agents ?? availableParallelism(),
      scenarios: scenarios === undefined ? DEFAULT_LOCAL_CLUSTER_SCENARIOS : typeof scenarios === 'string' ? [scenarios] : scenarios,
    },
  }
}
