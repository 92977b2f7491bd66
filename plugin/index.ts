/**
 * `loadspec/plugin`: the Vitest plugin. It validates its options when Vitest
 * loads the config (a bad value stops `vitest` at start-up, naming the key),
 * and adds the global setup (resolves the final config and provides it to
 * test workers) and the setup file (registers the matchers) after the
 * user's own.
 */
import { resolve } from 'node:path'
import type { Plugin } from 'vitest/config'
import { resolvePluginConfig, type LoadspecPluginOptions } from './config.js'
import { PLUGIN_NAME, siblingModule, type LoadspecPluginApi } from './plugin-api.js'

export type { LoadspecPluginOptions } from './config.js'
export type { LoadspecPluginApi } from './plugin-api.js'

export function loadspec(options: LoadspecPluginOptions = {}): Plugin<LoadspecPluginApi> {
  const ownOptions: LoadspecPluginOptions = { ...options }
  return {
    name: PLUGIN_NAME,
    // The global setup runs in Vitest's process with this plugin in `project.vite.config.plugins`.
    api: { options: ownOptions },
    config(userConfig) {
      // Throws ConfigError (every problem, with key, value and source) before any test file is collected.
      resolvePluginConfig(ownOptions, resolve(userConfig.root ?? process.cwd()))
      return {
        test: {
          globalSetup: [siblingModule('global-setup')],
          setupFiles: [siblingModule('setup-file')],
        },
      }
    },
  }
}
