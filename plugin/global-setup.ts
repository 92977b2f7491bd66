/**
 * Runs once in Vitest's process before any test file: resolves the final
 * configuration and provides it to the test workers, where loadScenario
 * reads it with `inject('loadspec')` (and the plugin's own options with
 * `inject('loadspecPlugin')`, the test run's report folder with
 * `inject('loadspecRun')`). Workers never read argv or the environment
 * themselves: theirs are not the ones the user started vitest with.
 *
 * With `localCluster` it starts the session's local cluster (nats-server and
 * agent processes), provides the config that runs every loadScenario on it,
 * refreshes it before each watch rerun and stops it at teardown (its
 * children also end by themselves when Vitest is killed).
 *
 * With NodeType Coordinator over NATS it also checks, once, that the agents
 * are there, and fails the whole run early if they are not; with NodeType
 * Client it asks the coordinator service for its status once, and prints it. It opens and
 * closes its own connection, so it leaves nothing running that a SIGTERM to
 * Vitest (which skips teardowns) could orphan.
 */
import type { TestProject } from 'vitest/node'
import { checkAgentsUpFront } from './agent-check.js'
import { checkServiceUpFront } from './service-check.js'
import { resolvePluginOptions } from './config.js'
import { LocalCluster } from './local-cluster/cluster.js'
import { findPluginOptions } from './plugin-api.js'
import { planTestRun } from './test-run.js'

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const options = findPluginOptions(project.vite.config.plugins) ?? {}
  const { config, vitest, localCluster, configLine } = resolvePluginOptions(options, project.config.root)
  if (configLine !== undefined) console.info(configLine)
  const cluster = localCluster === undefined ? undefined : await LocalCluster.start({ options: localCluster, config, root: project.config.root })
  project.provide('loadspec', cluster?.runConfig ?? config)
  project.provide('loadspecPlugin', vitest)
  // One report per test run: a new run folder for every run, watch-mode reruns included.
  const provideTestRun = (): void => {
    const target = planTestRun(config, project.config.root)
    if (target !== undefined) project.provide('loadspecRun', target)
  }
  provideTestRun()
  project.onTestsRerun(async () => {
    provideTestRun()
    // Vitest awaits this before the rerun's first test: agents with old code or crashed ones are replaced by then.
    if (cluster !== undefined) project.provide('loadspecLocalClusterProblem', await cluster.beforeRerun())
  })
  if (cluster === undefined) {
    const clusterLine = config.nodeType === 'Client' ? await checkServiceUpFront(config) : await checkAgentsUpFront(config)
    if (clusterLine !== undefined) console.info(clusterLine)
  }
  return async () => {
    await cluster?.stop()
  }
}
