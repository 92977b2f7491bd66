/**
 * Two coordinator processes started together, each with
 * AgentsCount 2, and two agents (two CI jobs sharing a cluster, or Jest's
 * parallel workers). Reservations are all or nothing with a short lease: a
 * coordinator that gets only one agent releases it and tries again after a
 * jittered back-off, so both runs finish, one after the other, within about
 * twice the run time, instead of each holding one agent until
 * ClusterCommandTimeoutMs (60 s here). Counts are checked at the target.
 *
 * Both coordinators are up and discovering before the agents start, so they
 * hear the same announces within milliseconds and reserve at the same moment:
 * the race is real every time (whether it splits the agents is up to the
 * broker's interleaving; the split itself is forced, deterministically, in
 * cluster-reservation.test.ts).
 */
import { expect, it } from 'vitest'
import { agentIdOf } from '../support/cluster-processes.js'
import { monitorNamespace, sleep, startFaultAgent, startFaultCoordinator, useFaultCluster, type NamespaceMonitor } from '../support/faults.js'

const RUN_MS = 2000
const RATE = 50
const faults = useFaultCluster('faults-competing-coordinators', 'g')

it('two coordinators needing both agents both succeed, one after the other, within 2 × the run time + a few seconds', async () => {
  const { natsUrl, clusterId, agentGroup } = faults.cluster()
  const monitor = await monitorNamespace(natsUrl, clusterId, agentGroup)
  try {
    const env = { LOADSPEC_CLUSTER_COMMAND_TIMEOUT_MS: '60000', FAULTS_INJECT_PER_SECOND: String(RATE), FAULTS_INJECT_DURATION: `${RUN_MS}ms` }
    const coordinators = [0, 1].map(() => faults.track(startFaultCoordinator(faults.cluster(), env)))
    const finishedAtMs: number[] = []
    const codes = Promise.all(coordinators.map((coordinator) => coordinator.exited.then((code) => (finishedAtMs.push(performance.now()), code))))
    await untilDiscovering(monitor, 2)

    const agentsStartedMs = performance.now()
    const agents = ['agent-a', 'agent-b'].map((label) => faults.track(startFaultAgent(faults.cluster(), label)))
    await Promise.all(agents.map((agent) => agentIdOf(agent)))
    expect(await codes).toEqual([0, 0])

    const lastMs = Math.max(...finishedAtMs) - agentsStartedMs
    const count = (kind: string): number => monitor.messages.filter((message) => message.kind === kind).length
    console.info(
      `[faults] competing coordinators: both done ${Math.round(lastMs)} ms after the agents were started ` +
        `(finished ${finishedAtMs.map((atMs) => Math.round(atMs - agentsStartedMs)).join(' and ')} ms; each run ${RUN_MS} ms of load); ` +
        `on the wire: ${count('reserve')} reserve, ${count('reserved')} reserved, ${count('busy')} busy, ${count('release')} release`,
    )
    const perRun = 2 * RATE * (RUN_MS / 1000)
    for (const coordinator of coordinators) expect(coordinator.output()).toMatch(new RegExp(`finished: ${perRun} requests`))
    // Every request each run counted reached the target, and nothing else did.
    expect(faults.target().requestCount).toBe(2 * perRun)
    // Both raced for the agents: each sent at least one reserve.
    expect(new Set(monitor.messages.filter((message) => message.kind === 'reserve').map((message) => message.senderId)).size).toBe(2)
    // Agent start-up (~1 s, loading TypeScript), two runs back to back, and back-offs of at most 2 s.
    expect(lastMs).toBeLessThan(2 * RUN_MS + 8000)
  } finally {
    await monitor.close()
  }
})

/** Waits until `count` coordinators have sent "discover" (they are connected and waiting for agents). */
async function untilDiscovering(monitor: NamespaceMonitor, count: number): Promise<void> {
  for (let waitedMs = 0; waitedMs < 20_000; waitedMs += 50) {
    const senders = new Set(monitor.messages.filter((message) => message.kind === 'discover').map((message) => message.senderId))
    if (senders.size >= count) return
    await sleep(50)
  }
  throw new Error(`fewer than ${count} coordinators sent "discover" within 20 s`)
}
