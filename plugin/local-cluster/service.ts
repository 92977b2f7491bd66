/**
 * The local cluster's coordinator service: a `loadspec coordinator` process
 * (the package's own bin) on the cluster's namespace, which every
 * loadScenario of the session reaches as NodeType Client, the same code path
 * as a remote fleet. Ready means the service answers a status request and
 * lists every agent process by pid, so a session submitted next finds them
 * all; a child that exits first fails the start with its own output.
 */
import type { LoadspecConfig } from '../../src/config/index.js'
import { ClusterError } from '../../src/cluster/errors.js'
import { silentClusterLog } from '../../src/cluster/log.js'
import { queryServiceStatus } from '../../src/cluster/service/status-query.js'
import { createTransportFactory } from '../../src/cluster/transport/factory.js'
import { loadspecBin, type ChildSpawn } from './agents.js'
import { ClusterChild, describeExit } from './children.js'

/** One status request's wait while the service starts (it is asked again until the start's deadline). */
const STATUS_ATTEMPT_MS = 1000

/** Starts the coordinator service; it loads the same scenario modules as the agents (CoordinatorTargetScenarios run on it). */
export function startService(spawn: ChildSpawn): ClusterChild {
  const { runConfig } = spawn
  const args = [
    loadspecBin(),
    'coordinator',
    ...spawn.scenarios.flatMap((pattern) => ['--scenarios', pattern]),
    '--exit-with-parent',
    // The namespace is this run's own (local-<pid>-<random>): no other service to listen for.
    '--claim-ms=0',
    `--NatsServerUrl=${(runConfig.natsServerUrl ?? []).join(',')}`,
    `--ClusterId=${runConfig.clusterId}`,
    `--AgentGroup=${runConfig.agentGroup}`,
  ]
  return new ClusterChild({ ...spawn.spec, name: 'coordinator', command: process.execPath, args })
}

/**
 * Resolves once the service lists every agent of `agents` (by pid); rejects
 * with the first child's exit (naming it, with its last output) or after
 * `timeoutMs`, saying what was still missing.
 */
export async function waitUntilServing(service: ClusterChild, agents: readonly ClusterChild[], runConfig: LoadspecConfig, timeoutMs: number): Promise<void> {
  let rejectOnExit: (error: Error) => void = () => {}
  const childExited = new Promise<never>((_, reject) => (rejectOnExit = reject))
  childExited.catch(() => {})
  for (const child of [service, ...agents]) {
    void child.exited.then((info) => rejectOnExit(new Error(`local cluster: ${describeExit(child, info)} before it joined the cluster:\n${child.lastOutput()}`)))
  }
  const transports = createTransportFactory(runConfig, silentClusterLog)
  const transport = await Promise.race([transports.connect('local cluster start'), childExited])
  const deadline = performance.now() + timeoutMs
  let missing = `the coordinator service (ClusterId "${runConfig.clusterId}") has not answered`
  try {
    for (;;) {
      const leftMs = deadline - performance.now()
      if (leftMs <= 0) throw new Error(`local cluster: not ready within ${timeoutMs} ms (ClusterCommandTimeoutMs): ${missing}`)
      try {
        // Not raced with childExited: the query must end (and stop asking) before the connection closes.
        const status = await queryServiceStatus({ transport, config: runConfig, timeoutMs: Math.min(STATUS_ATTEMPT_MS, leftMs) })
        await Promise.race([Promise.resolve(), childExited])
        const listed = new Set(status.agents.map((agent) => agent.pid))
        const absent = agents.filter((agent) => !listed.has(agent.pid))
        if (absent.length === 0) return
        missing = `the coordinator service does not list ${absent.map((agent) => `${agent.name} (pid ${agent.pid})`).join(', ')} yet`
      } catch (error) {
        if (!(error instanceof ClusterError)) throw error
      }
      await Promise.race([new Promise((resolve) => setTimeout(resolve, 100)), childExited])
    }
  } finally {
    await transport.close()
    await transports.close()
  }
}
