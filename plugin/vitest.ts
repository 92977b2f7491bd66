/**
 * `loadspec/vitest`: loadScenario plus the whole engine API, so a test file
 * needs one import. Also types what the plugin hands to Vitest:
 * `inject('loadspec')` and `task.meta.loadspec`.
 */
import type { LoadspecConfig } from '../src/config/index.js'
import type { ResolvedVitestOptions } from './config.js'
import type { LoadspecTaskMeta } from './summary.js'
import type { TestRunTarget } from './test-run.js'

export * from '../src/index.js'
export { loadScenario } from './load-scenario.js'
export type { AgentLostPolicy, LoadAssertion, LoadScenario, LoadScenarioAPI, LoadScenarioOptions } from './load-scenario.js'
export type { ResolvedVitestOptions } from './config.js'
export type { LoadspecScenarioMeta, LoadspecTaskMeta } from './summary.js'

declare module 'vitest' {
  interface ProvidedContext {
    /** The configuration the loadspec() plugin resolved; undefined without the plugin (loadScenario then uses defaults). */
    loadspec?: LoadspecConfig
    /** The loadspec() options that are not config keys (onAgentLost), with their defaults; undefined without the plugin. */
    loadspecPlugin?: ResolvedVitestOptions
    /** Where this test run's reports go (one folder per load test, and index.html); undefined without the plugin or with reports off. */
    loadspecRun?: TestRunTarget
    /** Why the local cluster's agents are not there for this watch rerun (they could not load the changed code); undefined when they are. */
    loadspecLocalClusterProblem?: string | undefined
  }
  interface TaskMeta {
    /** Key figures of a loadScenario test's run. */
    loadspec?: LoadspecTaskMeta
  }
}
