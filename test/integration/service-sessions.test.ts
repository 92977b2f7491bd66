/**
 * The coordinator service (`loadspec coordinator`) with two agent processes
 * and clients (NodeType Client) as processes: sessions queue first in,
 * first out and each returns its merged result; `--status` shows agents
 * and queue; bad input is refused at once; a client SIGKILLed mid-session
 * frees its agents for the next one, and a service SIGKILLed fails its
 * client as coordinator-lost. Counts are checked at a real HTTP target.
 */
import { expect, it } from 'vitest'
import { ClusterError } from '../../src/cluster/index.js'
import { Response, Runner, Scenario, Simulation } from '../../src/index.js'
import { startAgentProcess, startNodeProcess } from '../support/cluster-processes.js'
import { startFaultAgent, until, useFaultCluster } from '../support/faults.js'
import { finishedCount, namespaceArgs, SERVICE_TIMING, startClientProcess, startServiceProcess } from '../support/service-processes.js'
import { steady } from '../fixtures/faults-nodes/scenarios.js'

const file = useFaultCluster('service-sessions', 'g')

let fleetService: ReturnType<typeof startServiceProcess> | undefined

async function startFleet() {
  const service = file.track(startServiceProcess(file.cluster()))
  const agents = ['agent-a', 'agent-b'].map((label) => file.track(startFaultAgent(file.cluster(), label)))
  await service.waitFor(/serving ClusterId/)
  await Promise.all(agents.map((agent) => agent.waitFor(/joined ClusterId/)))
  fleetService = service
  return { service, agents }
}

function client(scenario: Scenario, agentsCount: number) {
  const { natsUrl, clusterId, agentGroup } = file.cluster()
  return Runner.registerScenarios(scenario)
    .withConfigSources({ argv: [], env: {} })
    .withoutReports()
    .withNodeType('Client')
    .withNatsServerUrl(natsUrl)
    .withClusterId(clusterId)
    .withAgentGroup(agentGroup)
    .withAgentsCount(agentsCount)
    .withConfig({ heartbeatIntervalMs: SERVICE_TIMING.heartbeatIntervalMs, agentLostTimeoutMs: SERVICE_TIMING.agentLostTimeoutMs })
}

it('queues two clients started together, runs each on both agents, and returns each merged result (the target counts their sum)', async () => {
  const { service } = await startFleet()
  const before = file.target().requestCount
  const clients = [0, 1].map(() => file.track(startClientProcess(file.cluster(), { perSecond: 40, duration: '2s' })))
  // While one runs, the other waits in the queue, and --status shows both.
  await until(() => clients.some((c) => /queued at place 1/.test(c.output())), 10_000, `one client is queued:\n${clients.map((c) => c.output()).join('\n')}`)
  const status = startNodeProcess(['bin/loadspec.js', 'coordinator', '--status', ...namespaceArgs(file.cluster())])
  expect(await status.exited, status.output()).toBe(0)
  expect(status.output()).toMatch(/2 agents \(0 idle\), 1 session running, 1 queued/)
  expect(status.output()).toMatch(/busy in session \S+; scenarios "steady"/)
  expect(status.output()).toMatch(/queue:\n {4}1\. session \S+ from /)

  const counts = await Promise.all(clients.map((c) => finishedCount(c)))
  expect(await Promise.all(clients.map((c) => c.exited))).toEqual([0, 0])
  for (const c of clients) expect(c.output()).toMatch(/finished: \d+ requests, \d+ ok, on \S+,\S+; incomplete false/)
  expect(counts[0]).toBeGreaterThan(0)
  expect(file.target().requestCount - before).toBe((counts[0] as number) + (counts[1] as number))
  // One log line per session on the service.
  await service.waitForCount(/session \S+ from \S+ \(host [^)]*\): "steady" on \S+, \S+, [\d.]+ s: \d+ ok, 0 failed; done/, 2)
})

it('refuses an unknown scenario and more agents than the fleet has at once, naming them', async () => {
  const unknown = Scenario.create('nowhere', () => Response.ok()).withLoadSimulations(Simulation.inject(1, 1, '1s'))
  let began = performance.now()
  const refusedUnknown = await client(unknown, 1).run({ quiet: true }).catch((error: unknown) => error)
  expect(performance.now() - began).toBeLessThan(1000)
  expect(refusedUnknown).toBeInstanceOf(ClusterError)
  expect((refusedUnknown as ClusterError).code).toBe('session-refused')
  expect((refusedUnknown as ClusterError).message).toMatch(/no agent .* registered "nowhere"/)

  began = performance.now()
  const refusedCount = await client(steady.withLoadSimulations(Simulation.inject(1, 1, '1s')), 5).run({ quiet: true }).catch((error: unknown) => error)
  expect(performance.now() - began).toBeLessThan(1000)
  expect((refusedCount as ClusterError).message).toMatch(/AgentsCount is 5, but the fleet has 2 agents that registered "steady"/)
})

it('runs sessions on disjoint idle agents at once: two clients needing one agent each are not queued', async () => {
  const before = file.target().requestCount
  const clients = [0, 1].map(() => file.track(startClientProcess(file.cluster(), { perSecond: 20, duration: '2s', agentsCount: 1 })))
  const counts = await Promise.all(clients.map((c) => finishedCount(c)))
  for (const c of clients) expect(c.output()).not.toMatch(/queued at place/)
  // Neither waited for the other: each ran at once, on an agent of its own.
  const agentsOf = clients.map((c) => /finished: \d+ requests, \d+ ok, on (\S+);/.exec(c.output())?.[1])
  expect(new Set(agentsOf).size).toBe(2)
  expect(file.target().requestCount - before).toBe((counts[0] as number) + (counts[1] as number))
})

it('refuses a session when an agent runs other code for a scenario (naming agent and both fingerprints) unless AllowCodeMismatch', async () => {
  const cluster = { ...file.cluster(), agentGroup: 'old-code' }
  file.track(startServiceProcess(cluster))
  const agent = file.track(
    startAgentProcess('test/fixtures/service-nodes/old-steady.ts', [...namespaceArgs(cluster), '--agent-id', 'stale-agent'], { FAULTS_TARGET_URL: file.cluster().targetUrl }),
  )
  await agent.waitFor(/joined ClusterId/)
  const before = file.target().requestCount
  const submit = (allowCodeMismatch: boolean) =>
    client(steady.withLoadSimulations(Simulation.inject(10, 1, '1s')), 1).withAgentGroup('old-code').withConfig({ allowCodeMismatch }).run({ quiet: true })
  // The service needs a discover round to know the fleet; until then it queues instead of refusing.
  const refused = await submit(false).catch((error: unknown) => error)
  expect((refused as ClusterError).code).toBe('code-mismatch')
  expect((refused as ClusterError).message).toMatch(/agent stale-agent \(host [^)]+\) runs other code for scenario "steady" than the client: agent fingerprint file:[0-9a-f]{16}, client fingerprint file:[0-9a-f]{16}/)
  expect(file.target().requestCount).toBe(before)
  const result = await submit(true)
  expect(result.getScenarioStats('steady').allRequestCount).toBe(10)
  expect(file.target().countFor('old-code')).toBe(10)
  // Run anyway, but not silently: the result says which agent ran other code.
  expect(result.warnings.join('\n')).toMatch(/agent stale-agent \(host [^)]+\) runs other code for scenario "steady" than the client: .*it ran anyway because AllowCodeMismatch is true/)
})

it('refuses to load an agent module that imports vitest, saying to keep scenarios in their own modules', async () => {
  const agent = startAgentProcess('test/fixtures/vitest-basic/scenarios.ts', namespaceArgs(file.cluster()))
  expect(await agent.exited).toBe(2)
  expect(agent.output()).toMatch(/scenarios\.ts imports "(loadspec\/)?vitest", which only works inside a Vitest worker.*Keep scenarios in their own modules/s)
})

it('frees the agents of a client SIGKILLed mid-session: the next queued session starts within AgentLostTimeoutMs + 2 s', async () => {
  const doomed = file.track(startClientProcess(file.cluster(), { perSecond: 20, duration: '20s' }))
  await doomed.waitFor(/ms into the load/)
  const next = file.track(startClientProcess(file.cluster(), { perSecond: 20, duration: '1s' }))
  await next.waitFor(/queued at place 1/)
  const killedAtMs = performance.now()
  process.kill(doomed.pid, 'SIGKILL')
  await next.waitFor(/session \S+ running/, SERVICE_TIMING.agentLostTimeoutMs + 5000)
  expect(performance.now() - killedAtMs).toBeLessThan(SERVICE_TIMING.agentLostTimeoutMs + 2000)
  expect(await finishedCount(next)).toBeGreaterThan(0)
  expect(await next.exited).toBe(0)
})

it('fails a client as coordinator-lost within AgentLostTimeoutMs + 2 s of the service being SIGKILLed, and the agents stop', async () => {
  // SIGTERM with a session running and one queued: the queued client is told at once, the running one gets what was measured.
  const runningClient = file.track(startClientProcess(file.cluster(), { perSecond: 20, duration: '20s' }))
  await runningClient.waitFor(/ms into the load/, 15_000)
  const queuedClient = file.track(startClientProcess(file.cluster(), { perSecond: 20, duration: '1s' }))
  await queuedClient.waitFor(/queued at place 1/)
  expect(await fleetService?.stop('SIGTERM')).toBe(0)
  expect(fleetService?.output()).toMatch(/stopped \(SIGTERM\) after \d+ sessions/)
  expect(await queuedClient.exited).not.toBe(0)
  expect(queuedClient.output()).toMatch(/refused the session \(shutting-down\): the coordinator service \S+ is stopping \(SIGTERM\)/)
  expect(await finishedCount(runningClient)).toBeGreaterThan(0)
  expect(await runningClient.exited).toBe(0)
  // A new service takes its place.
  const service = file.track(startServiceProcess(file.cluster()))
  await service.waitFor(/serving ClusterId/)
  const running = file.track(startClientProcess(file.cluster(), { perSecond: 20, duration: '20s' }))
  await running.waitFor(/ms into the load/, 15_000)
  const killedAtMs = performance.now()
  process.kill(service.pid, 'SIGKILL')
  await service.exited
  expect(await running.exited).not.toBe(0)
  expect(performance.now() - killedAtMs).toBeLessThan(SERVICE_TIMING.agentLostTimeoutMs + 2000)
  expect(running.output()).toMatch(/coordinator-lost|coordinator service was silent for \d+ ms/)
  // The agents stop by themselves: the target falls quiet.
  await until(() => performance.now() - file.target().lastRequestAtMs > 1000, SERVICE_TIMING.agentLostTimeoutMs + 4000, 'the target stops receiving requests')
})
