/**
 * NodeType Coordinator (no service) checks code fingerprints as the
 * coordinator service does: an agent process that loaded another version of
 * the "steady" module (test/fixtures/service-nodes/old-steady.ts) refuses
 * the run at once, naming the agent and both fingerprints, before any
 * request; with AllowCodeMismatch=true it runs, and the result carries one
 * warning saying so. The fingerprints in the message are checked against
 * sha256 of the two files' bytes, computed here.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { ClusterError } from '../../src/cluster/index.js'
import { Simulation } from '../../src/index.js'
import { REPO_ROOT, startAgentProcess } from '../support/cluster-processes.js'
import { steadyCoordinator, useFaultCluster } from '../support/faults.js'
import { namespaceArgs } from '../support/service-processes.js'

const file = useFaultCluster('coordinator-code', 'g')

const fingerprintOf = (path: string): string => `file:${createHash('sha256').update(readFileSync(join(REPO_ROOT, path))).digest('hex').slice(0, 16)}`

it('refuses a run at once when the agent runs other code for a scenario (naming agent and both fingerprints) unless AllowCodeMismatch, which runs it with a warning', async () => {
  const agent = file.track(
    startAgentProcess('test/fixtures/service-nodes/old-steady.ts', [...namespaceArgs(file.cluster()), '--agent-id', 'stale-agent'], { FAULTS_TARGET_URL: file.cluster().targetUrl }),
  )
  await agent.waitFor(/joined ClusterId/)
  const agentFingerprint = fingerprintOf('test/fixtures/service-nodes/old-steady.ts')
  const coordinatorFingerprint = fingerprintOf('test/fixtures/faults-nodes/scenarios.ts')
  expect(agentFingerprint).not.toBe(coordinatorFingerprint)
  // ClusterCommandTimeoutMs is 10 s: "at once" is well before it.
  const run = (allowCodeMismatch: boolean) =>
    steadyCoordinator(file.cluster(), Simulation.inject(10, 1, '1s'), 10_000).withAgentsCount(1).withConfig({ allowCodeMismatch, heartbeatIntervalMs: 250 }).run({ quiet: true })

  const refusedMs: number[] = []
  for (let attempt = 0; attempt < 3; attempt++) {
    const began = performance.now()
    const refused = await run(false).catch((error: unknown) => error)
    refusedMs.push(performance.now() - began)
    expect(refused).toBeInstanceOf(ClusterError)
    expect((refused as ClusterError).code).toBe('code-mismatch')
    expect((refused as ClusterError).message).toContain(
      `agent stale-agent (host ${agent.output().match(/\(host (\S+), pid/)?.[1]}, pid ${agent.pid}) runs other code for scenario "steady" than the coordinator: ` +
        `agent fingerprint ${agentFingerprint}, coordinator fingerprint ${coordinatorFingerprint}`,
    )
    expect((refused as ClusterError).message).toMatch(/set AllowCodeMismatch=true to run anyway/)
    expect((refused as ClusterError).agents.map((summary) => summary.agentId)).toEqual(['stale-agent'])
  }
  console.info(`[coordinator-code] refused after ${refusedMs.map((ms) => Math.round(ms)).join(', ')} ms (ClusterCommandTimeoutMs 10000)`)
  for (const ms of refusedMs) expect(ms).toBeLessThan(2000)
  expect(file.target().requestCount).toBe(0)
  // The agent was never assigned: it is still waiting, and served no session.
  expect(agent.output()).not.toMatch(/session \S+ from coordinator/)

  const result = await run(true)
  expect(result.getScenarioStats('steady').allRequestCount).toBe(10)
  expect(file.target().countFor('old-code')).toBe(10)
  expect(result.warnings.filter((warning) => /runs other code/.test(warning))).toEqual([
    `agent stale-agent (host ${agent.output().match(/\(host (\S+), pid/)?.[1]}, pid ${agent.pid}) runs other code for scenario "steady" than the coordinator: ` +
      `agent fingerprint ${agentFingerprint}, coordinator fingerprint ${coordinatorFingerprint} (the agent loaded the module before it was edited, or runs another checkout); ` +
      'it ran anyway because AllowCodeMismatch is true',
  ])
})
