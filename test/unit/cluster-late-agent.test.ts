/**
 * An agent that announces itself after the session has its agents (a slow
 * start, a scaled-up Deployment) is not used by that session, and the result
 * says so, naming it and when it came.
 */
import { describe, expect, it } from 'vitest'
import { Response, Scenario, Simulation, resolveConfig } from '../../src/index.js'
import { ClusterAgent, runCoordinatorSession, type ClusterLog } from '../../src/cluster/index.js'
import { createRunResult } from '../../src/result/result.js'
import { useMemoryCluster } from '../support/memory-cluster.js'

const quietLog: ClusterLog = { info: () => {}, debug: () => {}, warn: () => {} }
const work = Scenario.create('work', () => Response.ok(200)).withLoadSimulations(Simulation.inject(50, 1, '1s'))

const cluster = useMemoryCluster()

function startAgent(agentId: string): ClusterAgent {
  return cluster.track(new ClusterAgent({ scenarios: [work], transport: cluster.bus().connect(agentId), clusterId: 'loadspec', agentGroup: 'default', agentId, log: quietLog }))
}

describe('a late agent', () => {
  it('is a warning on the result: announced how far into the session, and not used', async () => {
    startAgent('early')
    setTimeout(() => startAgent('late'), 400)
    const run = await runCoordinatorSession({
      scenarios: [work],
      config: resolveConfig({ argv: [], env: {}, builder: { nodeType: 'Coordinator', enableLocalDevCluster: true, agentsCount: 1, heartbeatIntervalMs: 50, reportsEnabled: false } }),
      transport: cluster.bus().connect('coordinator'),
      log: quietLog,
    })
    const result = createRunResult(run.result)
    expect(result.nodes.map((node) => node.nodeId)).not.toContain('late')
    expect(result.warnings.filter((warning) => warning.includes('was not used'))).toEqual([expect.stringMatching(/^agent late \(host \S+, pid \d+\) announced 0\.[3-9] s into the session and was not used: the session had its 1 agent \(AgentsCount\) by then$/)])
  })
})
