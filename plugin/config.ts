/**
 * The plugin's options resolved into the final configuration, the same way
 * at config time (to fail fast) and in the global setup (to hand it to test
 * workers): plugin options > CLI `--Key=value` > `LOADSPEC_<KEY>` > JSON file.
 */
import { resolveConfig, type LoadspecConfig, type LoadspecConfigInput } from '../src/config/index.js'

/** The configuration keys of DESIGN.md in camelCase, plus `configFile` (relative to the Vitest root). */
export type LoadspecPluginOptions = LoadspecConfigInput

export function resolvePluginConfig(options: LoadspecPluginOptions, root: string): LoadspecConfig {
  return resolveConfig({ builder: options, argv: process.argv.slice(2), env: process.env, cwd: root })
}
