/**
 * The coordinator process SIGKILLed mid-run. Nobody will
 * ever collect what the agents measure, so each agent stops its load within
 * AgentLostTimeoutMs of the coordinator's last message, runs clean, and
 * goes back to waiting for a new session. Shown where it matters, at the
 * target: a real HTTP server counts the requests that still arrive after
 * the kill, and when the last one came. Each agent prints its own totals and
 * saves its figures under its ReportFolder; `loadspec report --merge` of
 * those files counts exactly what the target received.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Simulation } from '../../src/index.js'
import { agentIdOf, startNodeProcess, type NodeProcess } from '../support/cluster-processes.js'
import { cleanCounts, faultAgentFolder, monitorNamespace, sleep, startCountingTarget, startFaultAgent, startFaultCoordinator, steadyCoordinator, until, type CountingTarget, type NamespaceMonitor } from '../support/faults.js'
import { startNatsServer, type NatsServerHandle } from '../support/nats-server.js'

const CLUSTER = 'faults-coordinator-killed'
const GROUP = 'g'
const LABELS = ['agent-a', 'agent-b'] as const

let nats: NatsServerHandle
let target: CountingTarget
let monitor: NamespaceMonitor
const processes: NodeProcess[] = []

beforeAll(async () => {
  ;[nats, target] = await Promise.all([startNatsServer(), startCountingTarget(3)])
  monitor = await monitorNamespace(nats.url, CLUSTER, GROUP)
})

afterAll(async () => {
  await Promise.all(processes.map((process) => process.stop('SIGKILL')))
  await monitor?.close()
  await Promise.all([nats?.stop(), target?.close()])
})

/** Set once the broker and the target are up. */
function cluster() {
  return { natsUrl: nats.url, clusterId: CLUSTER, agentGroup: GROUP, targetUrl: target.url }
}

it('stops the load on every agent within AgentLostTimeoutMs of the last coordinator heartbeat, runs clean, and serves the next session', async () => {
  const agents = LABELS.map((label) =>
    startFaultAgent(cluster(), label),
  )
  processes.push(...agents)
  const agentIds = await Promise.all(agents.map((agent) => agentIdOf(agent)))

  // The coordinator in a process of its own, defaults for heartbeats (1 s) and AgentLostTimeoutMs (5 s).
  const coordinator = startFaultCoordinator(cluster())
  processes.push(coordinator)
  await until(() => LABELS.every((label) => target.countFor(label) > 300), 15_000, `both agents load the target; coordinator output:\n${coordinator.output()}`)
  await coordinator.waitFor(/ms into the load/)

  const killedAtMs = performance.now()
  const atKill = target.requestCount
  process.kill(coordinator.pid, 'SIGKILL')
  await coordinator.exited

  // Load stops when the agents give up: wait until the target has been quiet for a second.
  await until(() => performance.now() - target.lastRequestAtMs > 1000, 10_000, 'the target stops receiving requests')
  const lastRequestAtMs = target.lastRequestAtMs
  const lastCoordinatorMessage = monitor.last((message) => message.subject.includes('.agent.') && message.kind === 'heartbeat')
  expect(lastCoordinatorMessage).toBeDefined()
  const stopAfterLastHeartbeatMs = lastRequestAtMs - (lastCoordinatorMessage?.atMs ?? 0)
  const requestsAfterKill = target.requestCount - atKill
  console.info(
    `[faults] coordinator SIGKILL: ${requestsAfterKill} requests reached the target after the kill; the last one ` +
      `${Math.round(lastRequestAtMs - killedAtMs)} ms after the kill, ${Math.round(stopAfterLastHeartbeatMs)} ms after the coordinator's last heartbeat`,
  )
  // AgentLostTimeoutMs (5000) of silence, then the few ms of the iterations in flight (plus timer slack).
  expect(stopAfterLastHeartbeatMs).toBeLessThan(5000 + 200)
  expect(lastRequestAtMs - killedAtMs).toBeLessThan(5000 + 200)
  // Nothing more afterwards.
  const quietCount = target.requestCount
  await sleep(500)
  expect(target.requestCount).toBe(quietCount)

  const savedFiles: string[] = []
  for (const [index, agent] of agents.entries()) {
    const label = LABELS[index] as string
    const abandoned = await agent.waitFor(
      /abandoned: the coordinator was silent for \d+ ms; load stopped, clean ran; its own figures: (\d+) requests \(steady: (\d+) ok, 0 failed\), saved to (\S+) \(loadspec report --merge can use it\); waiting for a new session/,
      3000,
    )
    const output = agent.output()
    expect(output).toMatch(/coordinator \S+ has been silent for \d+ ms \(session \S+\): stopping the load, running clean and waiting for a new session/)
    // clean ran once, and the handler's own count is what the target received from this agent; so are the printed totals.
    expect(cleanCounts(output)).toEqual([target.countFor(label)])
    expect(Number(abandoned[1])).toBe(target.countFor(label))
    expect((abandoned[3] ?? '').startsWith(faultAgentFolder(label))).toBe(true)
    savedFiles.push(abandoned[3] ?? '')
  }

  // The figures the coordinator never collected, merged from the agents' files.
  const mergedFolder = join(faultAgentFolder('merged'), 'report')
  const report = startNodeProcess(['bin/loadspec.js', 'report', '--merge', ...savedFiles, `--out=${mergedFolder}`, '--format=json'])
  expect(await report.exited, report.output()).toBe(0)
  const merged = JSON.parse(await readFile(join(mergedFolder, 'loadspec-report.json'), 'utf8')) as { scenarios: { scenarioName: string; ok: { count: number } }[]; nodes: unknown[] }
  const mergedOk = merged.scenarios.find((stats) => stats.scenarioName === 'steady')?.ok.count
  console.info(`[faults] coordinator SIGKILL: the agents' saved figures merge to ${mergedOk} requests; the target received ${target.requestCount}`)
  expect(mergedOk).toBe(target.requestCount)
  expect(merged.nodes).toHaveLength(2)

  // Back to waiting: a new coordinator (this process) gets both agents and exact counts.
  const before = target.requestCount
  const next = await steadyCoordinator(cluster(), Simulation.inject(50, 1, '1s'), 10_000).run({ quiet: true })
  expect(next.incomplete).toBe(false)
  expect(next.getScenarioStats('steady').ok.request.count).toBe(100)
  expect(target.requestCount - before).toBe(100)
  expect(next.nodes.filter((node) => node.nodeType === 'Agent').map((node) => node.nodeId).sort()).toEqual([...agentIds].sort())
})
