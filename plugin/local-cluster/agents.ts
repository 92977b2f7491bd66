/**
 * The local cluster's agents: `loadspec agent` processes (the package's own
 * bin, so the agents run this very loadspec) started with the run's cluster
 * namespace, `--exit-with-parent`, and a fixed id each (`local-1`, …), so a
 * restarted agent is the same agent to the cluster. The coordinator service
 * (service.ts) says when they are ready.
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LoadspecConfig } from '../../src/config/index.js'
import { ClusterChild, type ChildSpec } from './children.js'

/** How the cluster starts its service and agent processes (the same namespace, scenario modules and log for each). */
export interface ChildSpawn {
  /** The cluster's config: namespace and NATS URLs of the agents and the service. */
  readonly runConfig: LoadspecConfig
  /** Patterns as the user gave them, relative to `spec.cwd`. */
  readonly scenarios: readonly string[]
  readonly spec: Omit<ChildSpec, 'name' | 'command' | 'args'>
}

/** Starts agent number `index` (1-based). */
export function startAgent(index: number, spawn: ChildSpawn): ClusterChild {
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

/** bin/loadspec.js of the package this module belongs to (from src and from dist alike). */
export function loadspecBin(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const bin = join(dir, 'bin', 'loadspec.js')
    if (existsSync(bin) && existsSync(join(dir, 'package.json'))) return bin
    if (dirname(dir) === dir) throw new Error(`local cluster: cannot find the loadspec bin (bin/loadspec.js) above ${fileURLToPath(import.meta.url)}`)
  }
}
