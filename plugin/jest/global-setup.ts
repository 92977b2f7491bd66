/**
 * `loadspec/jest/global-setup`: Jest's `globalSetup`. Runs once in Jest's
 * process before any test file: resolves the final configuration with the
 * engine's schema (see config.ts) and hands it to the test workers through
 * the environment. A bad value throws here, so Jest stops before any test
 * runs, naming the key, the value and where it came from.
 *
 * Jest takes one globalSetup module: a project that has its own calls this
 * one from it (`await loadspecGlobalSetup(globalConfig, projectConfig)`).
 *
 * With `localCluster` it starts the local cluster (nats-server and agent
 * processes) once per `jest` process and hands the workers the config that
 * runs every loadScenario on it; `jest --watch` runs the global setup again
 * before each run, which reuses the cluster (agents reload changed scenario
 * code). The children end when Jest's process exits; `stopLocalCluster()`
 * in a globalTeardown stops them earlier.
 */
import { resolvedConfigLine, type LoadspecConfig } from '../../src/config/index.js'
import { LocalCluster } from '../local-cluster/cluster.js'
import type { ResolvedLocalCluster } from '../local-cluster/options.js'
import { checkServiceUpFront } from '../service-check.js'
import { planTestRun } from '../test-run.js'
import { handConfigToWorkers, handTestRunToWorkers } from './config-handoff.js'
import { resolveJestConfigWithSources, resolveJestLocalCluster, type JestProjectConfigLike } from './config.js'

export type { JestProjectConfigLike } from './config.js'

/**
 * Synchronous without localCluster and NodeType Client (so a caller that does not await it keeps
 * working); a promise with either (starting the cluster, or asking the coordinator service for its status).
 */
export default function loadspecGlobalSetup(_globalConfig: unknown, projectConfig: JestProjectConfigLike): void | Promise<void> {
  const resolution = resolveJestConfigWithSources(projectConfig, process.argv.slice(2), process.env)
  const localCluster = resolveJestLocalCluster(projectConfig)
  const configLine = resolvedConfigLine(resolution, { builderLabel: 'Jest option', cwd: projectConfig.rootDir })
  if (configLine !== undefined) console.info(configLine)
  // One report per `jest` run (watch mode reruns the global setup: a new folder each time).
  handTestRunToWorkers(planTestRun(resolution.config, projectConfig.rootDir))
  if (localCluster === undefined) {
    handConfigToWorkers(resolution.config)
    if (resolution.config.nodeType !== 'Client') return
    return checkServiceUpFront(resolution.config).then((line) => {
      if (line !== undefined) console.info(line)
    })
  }
  return localClusterConfig(localCluster, resolution.config, projectConfig.rootDir).then(handConfigToWorkers)
}

/** The cluster of this Jest process: started by the first run, kept for watch-mode runs. */
let running: Promise<LocalCluster> | undefined

async function localClusterConfig(options: ResolvedLocalCluster, config: LoadspecConfig, root: string): Promise<LoadspecConfig> {
  if (running !== undefined) {
    const cluster = await running
    const problem = await cluster.beforeRerun()
    if (problem !== undefined) throw new Error(problem)
    return cluster.runConfig
  }
  running = LocalCluster.start({ options, config, root })
  running.catch(() => (running = undefined))
  return (await running).runConfig
}

/** Stops the local cluster's processes (for a project's globalTeardown); they also end when Jest exits. */
export async function stopLocalCluster(): Promise<void> {
  const cluster = running
  running = undefined
  await (await cluster?.catch(() => undefined))?.stop()
}

export { loadspecGlobalSetup }
