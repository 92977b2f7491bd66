/**
 * The plugin's options resolved into the final configuration, the same way
 * at config time (to fail fast) and in the global setup (to hand it to test
 * workers), in k6's order: CLI `--Key=value` (after `vitest run --`) >
 * `LOADSPEC_<KEY>` > plugin options > JSON file.
 * The plugin's own options (not config keys: they mean nothing to a
 * Runner outside Vitest) are split off first and checked alongside, so one
 * ConfigError lists every problem.
 */
import { ConfigError, resolveConfigWithSources, resolvedConfigLine, type ConfigIssue, type ConfigResolution, type LoadspecConfig, type LoadspecConfigInput } from '../src/config/index.js'
import { describeOrigin } from '../src/config/errors.js'
import { DEFAULT_AGENT_LOST_POLICY, describeBadPolicy, isAgentLostPolicy, type AgentLostPolicy } from './agent-lost.js'
import { resolveLocalCluster, type LocalClusterOptions, type ResolvedLocalCluster } from './local-cluster/options.js'

/** Options of loadspec() that are about Vitest's test cases, not configuration keys. */
export interface LoadspecVitestOptions {
  /**
   * What a loadScenario does when an agent stopped answering mid-run (its
   * result is then incomplete): `'fail'` (default) fails the test, naming the
   * agent and its scenarios; `'warn'` leaves the verdict to the assertions
   * and annotates the warning. A loadScenario's own `onAgentLost` wins.
   */
  readonly onAgentLost?: AgentLostPolicy
  /**
   * Start a local cluster once per `vitest` start (a nats-server and
   * `agents` agent processes loading the `scenarios` modules) and run every
   * loadScenario on it; it stays up across watch reruns. See
   * docs/local-cluster.md.
   */
  readonly localCluster?: LocalClusterOptions | boolean
}

/** The configuration keys of DESIGN.md in camelCase, plus `configFile` (relative to the Vitest root), plus the Vitest options. */
export type LoadspecPluginOptions = LoadspecConfigInput & LoadspecVitestOptions

/** The Vitest options with their defaults: what the global setup provides as `inject('loadspecPlugin')`. */
export interface ResolvedVitestOptions {
  readonly onAgentLost: AgentLostPolicy
}

export interface ResolvedPluginOptions {
  readonly config: LoadspecConfig
  readonly vitest: ResolvedVitestOptions
  /** The local cluster to start, with its defaults; undefined without `localCluster`. */
  readonly localCluster: ResolvedLocalCluster | undefined
  /** `loadspec config: AgentsCount=1 (CLI, overrides plugin option 2)`; undefined when nothing came from outside vitest.config.ts. */
  readonly configLine: string | undefined
}

/** Throws ConfigError listing every problem: bad config keys and bad plugin options alike. */
export function resolvePluginOptions(options: LoadspecPluginOptions, root: string): ResolvedPluginOptions {
  const { onAgentLost, localCluster: localClusterOption, ...configOptions } = options
  const issues: ConfigIssue[] = []
  if (onAgentLost !== undefined && !isAgentLostPolicy(onAgentLost)) issues.push(badPolicyIssue(onAgentLost))
  const localCluster = resolveLocalCluster(localClusterOption)
  if (!localCluster.ok) issues.push(...localCluster.issues)
  let resolution: ConfigResolution | undefined
  try {
    resolution = resolveConfigWithSources({ builder: configOptions, argv: process.argv.slice(2), env: process.env, cwd: root })
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    issues.unshift(...error.issues)
  }
  if (resolution === undefined || !localCluster.ok || issues.length > 0) throw new ConfigError(issues)
  return {
    config: resolution.config,
    vitest: { onAgentLost: onAgentLost ?? DEFAULT_AGENT_LOST_POLICY },
    localCluster: localCluster.value,
    configLine: resolvedConfigLine(resolution, { builderLabel: 'plugin option', cwd: root }),
  }
}

function badPolicyIssue(value: unknown): ConfigIssue {
  const origin = { source: 'builder', keyPath: 'onAgentLost' } as const
  return {
    ...origin,
    value,
    expected: "'fail' or 'warn'",
    message: `${describeBadPolicy(value)} (${describeOrigin(origin)})`,
  }
}
