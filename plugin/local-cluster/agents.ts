/**
 * The local cluster's agents: `loadspec agent` processes (the package's own
 * bin, so the agents run this very loadspec) started with the run's cluster
 * namespace, `--exit-with-parent`, and a fixed id each (`local-1`, …), so a
 * restarted agent is the same agent to the cluster. Ready means announced
 * over the cluster's discover/announce protocol; an agent that exits first
 * (a scenario module that does not load) fails the start with its own
 * output, at once, instead of a timeout.
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LoadspecConfig } from '../../src/config/index.js'
import { silentClusterLog } from '../../src/cluster/log.js'
import { waitForAgents } from '../../src/cluster/wait-for-agents.js'
import { ClusterChild, describeExit, type ChildSpec } from './children.js'

export interface AgentSpawn {
  /** The Coordinator config the agents must be found with (namespace, NATS URLs). */
  readonly runConfig: LoadspecConfig
  /** Patterns as the user gave them, relative to `spec.cwd`. */
  readonly scenarios: readonly string[]
  readonly spec: Omit<ChildSpec, 'name' | 'command' | 'args'>
}

/** Starts agent number `index` (1-based). */
export function startAgent(index: number, spawn: AgentSpawn): ClusterChild {
  const { runConfig } = spawn
  const args = [
    loadspecBin(),
    'agent',
    ...spawn.scenarios.flatMap((pattern) => ['--scenarios', pattern]),
    `--agent-id=local-${index}`,
    '--exit-with-parent',
    '--NodeType=Agent',
    `--NatsServerUrl=${(runConfig.natsServerUrl ?? []).join(',')}`,
    `--ClusterId=${runConfig.clusterId}`,
    `--AgentGroup=${runConfig.agentGroup}`,
  ]
  return new ClusterChild({ ...spawn.spec, name: `agent ${index}`, command: process.execPath, args })
}

/**
 * Resolves once every agent has announced; rejects with the first agent's
 * exit (naming it, with its last output) or after `timeoutMs`.
 */
export async function waitUntilAnnounced(agents: readonly ClusterChild[], runConfig: LoadspecConfig, timeoutMs: number): Promise<void> {
  const agentExited = new AbortController()
  for (const agent of agents) {
    void agent.exited.then((info) => {
      agentExited.abort(new Error(`local cluster: ${describeExit(agent, info)} before it joined the cluster:\n${agent.lastOutput()}`))
    })
  }
  await waitForAgents({ ...runConfig, agentsCount: agents.length }, { timeoutMs, log: silentClusterLog, signal: agentExited.signal })
}

/** bin/loadspec.js of the package this module belongs to (from src and from dist alike). */
function loadspecBin(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const bin = join(dir, 'bin', 'loadspec.js')
    if (existsSync(bin) && existsSync(join(dir, 'package.json'))) return bin
    if (dirname(dir) === dir) throw new Error(`local cluster: cannot find the loadspec bin (bin/loadspec.js) above ${fileURLToPath(import.meta.url)}`)
  }
}
