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
import { resolvedConfigLine } from '../../src/config/index.js'
import { checkServiceUpFront } from '../service-check.js'
import { planTestRun } from '../test-run.js'
import { handConfigToWorkers, handTestRunToWorkers } from './config-handoff.js'
import { resolveJestConfigWithSources, type JestProjectConfigLike } from './config.js'

export type { JestProjectConfigLike } from './config.js'

/** Returns a promise (await it) only for NodeType Client: the look at the coordinator service takes a round trip. */
export default function loadspecGlobalSetup(_globalConfig: unknown, projectConfig: JestProjectConfigLike): Promise<void> | void {
  const resolution = resolveJestConfigWithSources(projectConfig, process.argv.slice(2), process.env)
  const configLine = resolvedConfigLine(resolution, { builderLabel: 'Jest option', cwd: projectConfig.rootDir })
  if (configLine !== undefined) console.info(configLine)
  handConfigToWorkers(resolution.config)
  // One report per `jest` run (watch mode reruns the global setup: a new folder each time).
  handTestRunToWorkers(planTestRun(resolution.config, projectConfig.rootDir))
  if (resolution.config.nodeType !== 'Client') return undefined
  return checkServiceUpFront(resolution.config).then((line) => {
    if (line !== undefined) console.info(line)
  })
}

export { loadspecGlobalSetup }
