/**
 * `loadspec/plugin`: the Vitest plugin. It validates its options when Vitest
 * loads the config (a bad value stops `vitest` at start-up, naming the key),
 * and adds the global setup (resolves the final config, provides it to test
 * workers, checks a coordinator's agents) and the setup file (registers the
 * matchers) after the user's own.
 */
import { resolve } from 'node:path'
import type { Plugin } from 'vitest/config'
import { coordinatesOverNats } from './agent-check.js'
import { resolvePluginOptions, type LoadspecPluginOptions } from './config.js'
import { PLUGIN_NAME, siblingModule, type LoadspecPluginApi } from './plugin-api.js'

export type { LoadspecPluginOptions, LoadspecVitestOptions } from './config.js'
export type { AgentLostPolicy } from './agent-lost.js'
export type { LoadspecPluginApi } from './plugin-api.js'
export type { LocalClusterOptions } from './local-cluster/options.js'

export function loadspec(options: LoadspecPluginOptions = {}): Plugin<LoadspecPluginApi> {
  const ownOptions: LoadspecPluginOptions = { ...options }
  return {
    name: PLUGIN_NAME,
    // The global setup runs in Vitest's process with this plugin in `project.vite.config.plugins`.
    api: { options: ownOptions },
    config(userConfig) {
      // Throws ConfigError (every problem, with key, value and source) before any test file is collected.
      const { config, localCluster } = resolvePluginOptions(ownOptions, resolve(userConfig.root ?? process.cwd()))
      // Coordinators in parallel test files would compete for the same agents, each holding some while
      // waiting for the rest until ClusterCommandTimeoutMs: one file at a time, unless the user chose.
      const sharesAgents = coordinatesOverNats(config) || localCluster !== undefined
      const oneFileAtATime = sharesAgents && userConfig.test?.fileParallelism === undefined
      return {
        test: {
          globalSetup: [siblingModule('global-setup')],
          setupFiles: [siblingModule('setup-file')],
          ...(oneFileAtATime && { fileParallelism: false }),
        },
      }
    },
  }
}
