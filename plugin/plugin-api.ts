/** What the plugin and its global setup share: the plugin's name, its options, where its modules are. */
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LoadspecPluginOptions } from './config.js'

export const PLUGIN_NAME = 'loadspec'

/** Exposed as the plugin's `api` (Vite's channel between plugins and the code that finds them). */
export interface LoadspecPluginApi {
  readonly options: LoadspecPluginOptions
}

/**
 * The absolute path of a module next to this one, with this module's own
 * extension: `.js` from dist/, `.ts` when the plugin is loaded from source.
 */
export function siblingModule(baseName: string): string {
  const here = fileURLToPath(import.meta.url)
  return fileURLToPath(new URL(`./${baseName}${extname(here)}`, import.meta.url))
}

/** The options of the first loadspec() plugin among a project's Vite plugins. */
export function findPluginOptions(plugins: readonly { readonly name: string; readonly api?: unknown }[]): LoadspecPluginOptions | undefined {
  const plugin = plugins.find((candidate) => candidate.name === PLUGIN_NAME)
  const api = plugin?.api as Partial<LoadspecPluginApi> | undefined
  return api?.options
}
