/**
 * An in-memory bus per test for the state-machine tests: a fresh bus for
 * every test, and every agent started on it stopped after the test.
 */
import { afterEach } from 'vitest'
import { MemoryBus, type ClusterAgent } from '../../src/cluster/index.js'

export interface MemoryCluster {
  /** This test's bus. */
  bus(): MemoryBus
  /** Started, and stopped after the test. */
  track(agent: ClusterAgent): ClusterAgent
}

export function useMemoryCluster(): MemoryCluster {
  let bus = new MemoryBus()
  const agents: ClusterAgent[] = []
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((agent) => agent.stop()))
    await bus.close()
    bus = new MemoryBus()
  })
  return {
    bus: () => bus,
    track: (agent) => {
      agents.push(agent)
      agent.start()
      return agent
    },
  }
}
