/**
 * One coordinator service per namespace, with real `loadspec coordinator`
 * processes on a nats-server of this file: a second service started beside
 * one that serves leaves (exit code 1) in one message naming the first
 * (service id, host, pid, up since) and how to run two; of two started at
 * the same moment exactly one keeps serving. Each time a client session
 * (NodeType Client, a process) still completes on the one that stayed, and
 * the target counts what the client was told.
 */
import { expect, it } from 'vitest'
import { startNodeProcess, type NodeProcess } from '../support/cluster-processes.js'
import { startFaultAgent, useFaultCluster } from '../support/faults.js'
import { finishedCount, namespaceArgs, startClientProcess, startServiceProcess } from '../support/service-processes.js'

const file = useFaultCluster('service-guard', 'g')

const serving = /coordinator service (\S+) \(host (\S+), pid (\d+)\) serving ClusterId/
const leaving = (other: NodeProcess, namespace: { clusterId: string; agentGroup: string }) =>
  new RegExp(
    `another coordinator service (serves|started earlier on) ClusterId "${namespace.clusterId}" / AgentGroup "${namespace.agentGroup}": ` +
      `(\\S+) \\(host \\S+, pid ${other.pid}\\), up since (\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z); this one \\(\\S+, host \\S+, pid \\d+\\) leaves.*` +
      'To run two services, give each its own ClusterId or AgentGroup',
  )

/** Milliseconds from spawning `loadspec coordinator --status` to its exit: node start + connect + one status round trip, the floor of any refusal. */
async function statusMs(cluster: ReturnType<typeof file.cluster>): Promise<number> {
  const began = performance.now()
  const status = startNodeProcess(['bin/loadspec.js', 'coordinator', '--status', ...namespaceArgs(cluster)])
  expect(await status.exited, status.output()).toBe(0)
  return performance.now() - began
}

/** A client session of 20 requests on the one agent; it completes and the target saw exactly what the client reports. */
async function sessionCompletes(cluster: ReturnType<typeof file.cluster>, service: NodeProcess): Promise<void> {
  const before = file.target().requestCount
  const client = file.track(startClientProcess(cluster, { perSecond: 20, duration: '1s', agentsCount: 1 }))
  const count = await finishedCount(client)
  expect(await client.exited, client.output()).toBe(0)
  expect(count).toBe(20)
  expect(file.target().requestCount - before).toBe(count)
  await service.waitFor(/session \S+ from \S+ \(host [^)]*\): "steady" on \S+, [\d.]+ s: 20 ok, 0 failed; done/)
}

it('a second service beside one that serves leaves with exit code 1, naming the first and how to run two; a session still completes on the first', async () => {
  const cluster = { ...file.cluster(), agentGroup: 'sequential' }
  const first = file.track(startServiceProcess(cluster))
  const agent = file.track(startFaultAgent(cluster, 'seq-agent'))
  const [, firstId] = await first.waitFor(serving)
  await agent.waitFor(/joined ClusterId/)
  const refusedMs: number[] = []
  for (let attempt = 0; attempt < 3; attempt++) {
    const began = performance.now()
    const second = file.track(startServiceProcess(cluster))
    expect(await second.exited, second.output()).toBe(1)
    refusedMs.push(performance.now() - began)
    const match = leaving(first, cluster).exec(second.output())
    expect(match, second.output()).not.toBeNull()
    expect(match?.[1]).toBe('serves')
    expect(match?.[2]).toBe(firstId)
    expect(Math.abs(Date.parse(match?.[3] as string) - Date.now())).toBeLessThan(120_000)
    // One message, and the second never served.
    expect(second.output().match(/another coordinator service/g)?.length).toBe(1)
    expect(second.output()).not.toMatch(serving)
    expect(second.output()).not.toMatch(/Error|\n\s+at /)
  }
  const floorMs = await statusMs(cluster)
  console.info(`[service-guard] second service refused after ${refusedMs.map((ms) => Math.round(ms)).join(', ')} ms (spawn to exit); --status alone takes ${Math.round(floorMs)} ms`)
  expect(first.output()).not.toMatch(/stopped|another coordinator service/)
  await sessionCompletes(cluster, first)
})

it('of two services started at the same moment exactly one keeps serving, the other leaves naming it; a session completes on the one that stays', async () => {
  const rounds: string[] = []
  for (let round = 0; round < 4; round++) {
    const cluster = { ...file.cluster(), agentGroup: `together-${round}` }
    const pair = [file.track(startServiceProcess(cluster)), file.track(startServiceProcess(cluster))] as const
    const began = performance.now()
    const gone = await Promise.race(pair.map((service) => service.exited.then(() => service)))
    const leftMs = performance.now() - began
    const stayed = gone === pair[0] ? pair[1] : pair[0]
    expect(await gone.exited, gone.output()).toBe(1)
    const match = leaving(stayed, cluster).exec(gone.output())
    expect(match, gone.output()).not.toBeNull()
    await stayed.waitFor(serving)
    // The one that stays keeps serving: still running two heartbeats later, never stopped.
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(stayed.output()).not.toMatch(/stopped|another coordinator service/)
    expect(gone.output()).not.toMatch(serving)
    // It left by its own decision, not by an error (e.g. a query still publishing on the closed connection).
    expect(gone.output()).not.toMatch(/Error|\n\s+at /)
    rounds.push(`${Math.round(leftMs)} ms (${match?.[1]})`)
    if (round === 0) {
      await file.track(startFaultAgent(cluster, 'together-agent')).waitFor(/joined ClusterId/)
      await sessionCompletes(cluster, stayed)
    }
    await stayed.stop()
  }
  console.info(`[service-guard] started together, the younger left after ${rounds.join(', ')} (spawn to exit)`)
})

it('--claim-ms=0 (the local cluster, whose namespace is its own) serves without listening first, and still gives way to one that serves; a bad value is refused', async () => {
  const cluster = { ...file.cluster(), agentGroup: 'no-claim' }
  const first = file.track(startServiceProcess(cluster, ['--claim-ms=0']))
  const [, firstId] = await first.waitFor(serving)
  // Beside a serving service it serves for a moment, hears the elder's presence and leaves as a displaced service does.
  const second = file.track(startServiceProcess(cluster, ['--claim-ms=0']))
  expect(await second.exited, second.output()).toBe(1)
  expect(leaving(first, cluster).exec(second.output())?.[2], second.output()).toBe(firstId)
  expect(first.output()).not.toMatch(/stopped|another coordinator service/)
  await file.track(startFaultAgent(cluster, 'no-claim-agent')).waitFor(/joined ClusterId/)
  await sessionCompletes(cluster, first)

  const bad = file.track(startServiceProcess(cluster, ['--claim-ms=soon']))
  expect(await bad.exited).toBe(2)
  expect(bad.output()).toContain('loadspec coordinator: --claim-ms needs a whole number of milliseconds (0 or more), got "soon"')
})
