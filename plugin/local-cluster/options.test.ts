/** `localCluster` where the user writes it: the Vitest plugin's option and Jest's testEnvironmentOptions.loadspec. */
import { availableParallelism, tmpdir } from 'node:os'
import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../src/config/errors.js'
import { resolvePluginOptions } from '../config.js'
import { resolveJestConfig, resolveJestLocalCluster } from '../jest/config.js'
import { DEFAULT_LOCAL_CLUSTER_SCENARIOS } from './options.js'

function configError(run: () => unknown): ConfigError {
  try {
    run()
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('the Vitest plugin option', () => {
  test('defaults: one agent per core, the scenarios.ts and *.scenarios.ts modules', () => {
    expect(resolvePluginOptions({ localCluster: {} }, tmpdir()).localCluster).toEqual({ agents: availableParallelism(), scenarios: DEFAULT_LOCAL_CLUSTER_SCENARIOS })
    expect(resolvePluginOptions({ localCluster: { agents: 3, scenarios: 'load/*.ts' } }, tmpdir()).localCluster).toEqual({ agents: 3, scenarios: ['load/*.ts'] })
    expect(resolvePluginOptions({}, tmpdir()).localCluster).toBeUndefined()
  })

  test('bad values are listed with the bad config keys, each with its path and value', () => {
    const error = configError(() => resolvePluginOptions({ agentsCount: -1, localCluster: { agents: 0, scenarios: [], extra: 1 } as never }, tmpdir()))
    const paths = error.issues.map((issue) => issue.keyPath)
    expect(paths).toEqual(expect.arrayContaining(['localCluster.agents', 'localCluster.scenarios', 'localCluster', 'agentsCount']))
    expect(error.message).toContain('localCluster.agents must be at least 1, got 0')
    expect(error.message).toContain('localCluster has unknown option "extra"')
  })
})

describe("Jest's testEnvironmentOptions.loadspec.localCluster", () => {
  test('is the adapter\'s own option, not a config key, and is checked the same way', () => {
    const project = { rootDir: tmpdir(), testEnvironmentOptions: { loadspec: { clusterId: 'shop', localCluster: { agents: 2 } } } }
    expect(resolveJestConfig(project, [], {}).clusterId).toBe('shop')
    expect(resolveJestLocalCluster(project)).toEqual({ agents: 2, scenarios: DEFAULT_LOCAL_CLUSTER_SCENARIOS })
    const bad = { rootDir: tmpdir(), testEnvironmentOptions: { loadspec: { localCluster: { agents: 'many' } } } }
    expect(configError(() => resolveJestLocalCluster(bad)).message).toContain('testEnvironmentOptions.loadspec.localCluster.agents must be a whole number of agent processes, got "many"')
  })
})
