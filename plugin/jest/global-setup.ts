/**
 * `loadspec/jest/global-setup`: Jest's `globalSetup`. Runs once in Jest's
 * process before any test file: resolves the final configuration with the
 * engine's schema (see config.ts) and hands it to the test workers through
 * the environment. A bad value throws here, so Jest stops before any test
 * runs, naming the key, the value and where it came from.
 *
 * Jest takes one globalSetup module: a project that has its own calls this
 * one from it (`loadspecGlobalSetup(globalConfig, projectConfig)`).
 */
import { handConfigToWorkers } from './config-handoff.js'
import { resolveJestConfig, type JestProjectConfigLike } from './config.js'

export type { JestProjectConfigLike } from './config.js'

export default function loadspecGlobalSetup(_globalConfig: unknown, projectConfig: JestProjectConfigLike): void {
  handConfigToWorkers(resolveJestConfig(projectConfig, process.argv.slice(2), process.env))
}

export { loadspecGlobalSetup }
