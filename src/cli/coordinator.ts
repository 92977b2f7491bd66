/**
 * `loadspec coordinator`: the long-lived coordinator service that test runs
 * (NodeType Client) submit their sessions to, and `--status` to ask it what
 * it is doing.
 *
 *   loadspec coordinator --scenarios 'load/*.scenarios.ts' --NatsServerUrl=nats://127.0.0.1:4222 --ClusterId=shop --AgentGroup=eu
 *   loadspec coordinator --status --NatsServerUrl=nats://127.0.0.1:4222 --ClusterId=shop --AgentGroup=eu
 */
import type { LoadspecConfig } from '../config/index.js'
import { ClusterError } from '../cluster/errors.js'
import { queryServiceStatus, statusReport } from '../cluster/service/status-query.js'
import { consoleClusterLog } from '../cluster/log.js'
import { createTransportFactory } from '../cluster/transport/factory.js'
import type { Scenario } from '../engine/scenario.js'
import { runCoordinatorService, SERVICE_CLAIM_TIMEOUT_MS } from '../modes/service-mode.js'
import { Runner } from '../runner/runner.js'
import { watchParent } from './parent-watch.js'
import { loadScenarioModules } from './scenario-modules.js'

export const COORDINATOR_USAGE = `usage: loadspec coordinator [--scenarios <file or glob> ...] [--Key=value ...]
       loadspec coordinator --status [--Key=value ...]

Runs a coordinator service until Ctrl-C / SIGTERM: agents announce to it, test runs with
NodeType Client submit sessions to it (queued first in, first out; sessions on disjoint
agents run at once), and it returns each merged result to its client. --scenarios loads
the modules whose scenarios run on the service itself (CoordinatorTargetScenarios).
--status prints the service's agents (idle/busy, session, scenarios) and its queue.
One service per ClusterId/AgentGroup: a service that finds another one serving (or
starting first) on the namespace leaves with exit code 1, naming it.
--exit-with-parent stops the service when the process that started it is gone (its stdin
pipe closes, or it is re-parented), within 2 s: for the local cluster a test runner starts.
--claim-ms=<ms> is how long a starting service listens for another one serving its
ClusterId/AgentGroup before it serves (default 1000); 0 for a namespace of its own.
Give at least --NatsServerUrl, --ClusterId and --AgentGroup (as for agents).`

/** How long --status waits for the service. */
const STATUS_TIMEOUT_MS = 3000

export async function runCoordinatorCommand(args: readonly string[], cwd = process.cwd()): Promise<number> {
  const patterns: string[] = []
  const configArgs: string[] = []
  let status = false
  let exitWithParent = false
  let claimMs = SERVICE_CLAIM_TIMEOUT_MS
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string
    if (arg === '--status') status = true
    else if (arg === '--exit-with-parent') exitWithParent = true
    else if (arg.startsWith('--claim-ms=')) {
      const text = arg.slice('--claim-ms='.length)
      if (!/^\d+$/.test(text)) {
        console.error(`loadspec coordinator: --claim-ms needs a whole number of milliseconds (0 or more), got ${JSON.stringify(text)}\n\n${COORDINATOR_USAGE}`)
        return 2
      }
      claimMs = Number(text)
    } else if (arg.startsWith('--scenarios=')) patterns.push(arg.slice('--scenarios='.length))
    else if (arg === '--scenarios') {
      const next = args[++index]
      if (next === undefined || next.startsWith('--')) {
        console.error(`loadspec coordinator: --scenarios needs a file or glob\n\n${COORDINATOR_USAGE}`)
        return 2
      }
      patterns.push(next)
    } else if (!arg.startsWith('-')) patterns.push(arg)
    else configArgs.push(arg)
  }
  let scenarios: Scenario[] = []
  if (patterns.length > 0 && !status) {
    const loaded = await loadScenarioModules('loadspec coordinator', patterns, cwd)
    if (loaded === undefined) return 2
    scenarios = loaded
  }
  // The whole configuration is checked (a missing NatsServerUrl, a bad value) before connecting.
  const config = Runner.registerScenarios(...scenarios).withConfigSources({ argv: configArgs, env: process.env }).withNodeType('Client').withoutReports().resolveConfig()
  if (status) return printStatus(config)
  const parentGone = new AbortController()
  const stopWatching = exitWithParent ? watchParent((reason) => parentGone.abort(reason)) : () => {}
  try {
    await runCoordinatorService(scenarios, { ...config, nodeType: 'Coordinator' }, parentGone.signal, claimMs)
  } catch (error) {
    // Another service keeps the namespace: one line naming it, and the exit code of a refused start.
    if (!(error instanceof ClusterError) || error.code !== 'duplicate-service') throw error
    console.error(`[loadspec coordinator] ${error.message}`)
    return 1
  } finally {
    stopWatching()
  }
  return 0
}

async function printStatus(config: LoadspecConfig): Promise<number> {
  const log = consoleClusterLog('loadspec coordinator')
  const transports = createTransportFactory(config, log)
  const transport = await transports.connect('loadspec coordinator --status')
  try {
    console.log(statusReport(await queryServiceStatus({ transport, config, timeoutMs: STATUS_TIMEOUT_MS })))
    return 0
  } catch (error) {
    if (!(error instanceof ClusterError)) throw error
    console.error(`loadspec coordinator --status: ${error.message}`)
    return 1
  } finally {
    await transport.close()
    await transports.close()
  }
}
