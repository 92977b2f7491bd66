/**
 * Issue 11, item 2: two coordinator processes started together, each with
 * AgentsCount 2, and two agents (two CI jobs sharing a cluster, or Jest's
 * parallel workers). Reservations are all or nothing with a short lease: a
 * coordinator that gets only one agent releases it and tries again after a
 * jittered back-off, so both runs finish, one after the other, within about
 * twice the run time, instead of each holding one agent until
 * ClusterCommandTimeoutMs (60 s here). Counts are checked at the target.
 * (The split itself is forced, deterministically, in cluster-reservation.test.ts.)
 */
import { expect, it } from 'vitest'
import { agentIdOf } from '../support/cluster-processes.js'
import { startFaultAgent, startFaultCoordinator, useFaultCluster } from '../support/faults.js'

const RUN_MS = 2000
const RATE = 50
const faults = useFaultCluster('faults-competing-coordinators', 'g')

it('two coordinators needing both agents both succeed, one after the other, within 2 × the run time + a few seconds', async () => {
  const agents = ['agent-a', 'agent-b'].map((label) => faults.track(startFaultAgent(faults.cluster(), label)))
  await Promise.all(agents.map((agent) => agentIdOf(agent)))

  const startedMs = performance.now()
  const env = { LOADSPEC_CLUSTER_COMMAND_TIMEOUT_MS: '60000', FAULTS_INJECT_PER_SECOND: String(RATE), FAULTS_INJECT_DURATION: `${RUN_MS}ms` }
  const coordinators = [0, 1].map(() => faults.track(startFaultCoordinator(faults.cluster(), env)))
  const finishedAtMs: number[] = []
  const codes = await Promise.all(coordinators.map((coordinator) => coordinator.exited.then((code) => (finishedAtMs.push(performance.now() - startedMs), code))))
  const lastMs = Math.max(...finishedAtMs)
  const busyLines = coordinators.map((coordinator) => (coordinator.output().match(/is busy \(/g) ?? []).length)
  console.info(
    `[faults] competing coordinators: both done ${Math.round(lastMs)} ms after they started (finished at ${finishedAtMs.map(Math.round).join(' and ')} ms; ` +
      `each run ${RUN_MS} ms of load; "busy" answers heard: ${busyLines.join(' and ')})`,
  )
  const perRun = 2 * RATE * (RUN_MS / 1000)
  for (const coordinator of coordinators) expect(coordinator.output()).toMatch(new RegExp(`finished: ${perRun} requests`))
  expect(codes).toEqual([0, 0])
  // Every request each run counted reached the target, and nothing else did.
  expect(faults.target().requestCount).toBe(2 * perRun)
  // Two process start-ups (~1 s each, loading TypeScript), two runs back to back, and back-offs of at most 2 s.
  expect(lastMs).toBeLessThan(2 * RUN_MS + 8000)
})
