/**
 * The broker dies under a running cluster.
 *
 * - Restarted on the same port within ~2 s: every client reconnects, the
 *   agents' load goes on meanwhile (the target keeps counting), and the
 *   final stats that the agents send while the broker is down are lost and
 *   sent again until acknowledged, so the merged counts equal what each
 *   agent counted itself (it logs its totals) and what the target received.
 * - Down for longer than ClusterCommandTimeoutMs: the run fails with an
 *   error that says the broker is down or unreachable (not that agents were
 *   lost), still carrying what was measured; the agents, hearing nothing,
 *   stop their load AgentLostTimeoutMs after the coordinator's last word.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { Simulation, type LoadSimulation } from '../../src/index.js'
import { ClusterError } from '../../src/cluster/index.js'
import { agentIdOf, type NodeProcess } from '../support/cluster-processes.js'
import { completedSessions, sleep, startCountingTarget, startFaultAgent, steadyCoordinator, until, type CountingTarget } from '../support/faults.js'
import { startNatsServer, type NatsServerHandle } from '../support/nats-server.js'

const CLUSTER = 'faults-broker'
const GROUP = 'g'
const LABELS = ['agent-a', 'agent-b'] as const

let nats: NatsServerHandle
let target: CountingTarget
let agents: NodeProcess[] = []
let agentIds: string[] = []

beforeAll(async () => {
  ;[nats, target] = await Promise.all([startNatsServer(), startCountingTarget(3)])
  agents = LABELS.map((label) =>
    startFaultAgent(cluster(), label),
  )
  agentIds = await Promise.all(agents.map((agent) => agentIdOf(agent)))
})

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop('SIGKILL')))
  await Promise.all([nats?.stop(), target?.close()])
})

function coordinator(simulation: LoadSimulation, clusterCommandTimeoutMs: number) {
  return steadyCoordinator(cluster(), simulation, clusterCommandTimeoutMs)
}

/** Set once the broker and the target are up. */
function cluster() {
  return { natsUrl: nats.url, clusterId: CLUSTER, agentGroup: GROUP, targetUrl: target.url }
}

/** Resolves once both agents have sent `count` requests in this run. */
async function loadRunning(baseline: Record<string, number>, count: number): Promise<void> {
  await until(() => LABELS.every((label) => target.countFor(label) - (baseline[label] ?? 0) >= count), 10_000, 'both agents load the target')
}

function countsNow(): Record<string, number> {
  return Object.fromEntries(LABELS.map((label) => [label, target.countFor(label)]))
}

describe('the broker killed mid-run', () => {
  it('restarted on the same port within ~2 s: load goes on, finals are re-sent until acknowledged, merged counts equal what the agents counted', async () => {
    const baseline = countsNow()
    const targetBefore = target.requestCount
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      // 3.5 s of load; the broker dies 2 s in and is back ~2 s later, after the load has ended:
      // the agents finish and send their final stats while it is down.
      const run = coordinator(Simulation.keepConstant(2, '3500ms'), 10_000).run({ quiet: true })
      await loadRunning(baseline, 1)
      const loadStartedAtMs = performance.now()
      await sleep(2000)
      await nats.stop('SIGKILL')
      const killedAtMs = performance.now()
      await sleep(1900)
      nats = await startNatsServer([], { port: nats.port })
      const restartedAtMs = performance.now()
      const result = await run
      const requestsWhileDown = target.countSince(killedAtMs) - target.countSince(restartedAtMs)

      // Each agent logs its totals once the acknowledgement reaches it, just after the coordinator returns.
      await Promise.all(agents.map((agent) => agent.waitForCount(/final stats acknowledged/, 1)))
      const merged = result.getScenarioStats('steady')
      const atTarget = target.requestCount - targetBefore
      const own = agents.map((agent) => completedSessions(agent.output(), 'steady').at(-1))
      const ownTotal = own.reduce((sum, line) => sum + (line?.requests ?? Number.NaN), 0)
      console.log(
        `[faults] broker restart: down ${Math.round(restartedAtMs - killedAtMs)} ms (killed ${Math.round(killedAtMs - loadStartedAtMs)} ms into the load); ` +
          `${requestsWhileDown} requests reached the target meanwhile; merged ${merged.allRequestCount}, agents' own totals ${own.map((line) => line?.requests).join(' + ')} = ${ownTotal}, ` +
          `target ${atTarget}; final stats sent ${own.map((line) => line?.finalSends).join(' and ')} times`,
      )
      expect(requestsWhileDown).toBeGreaterThan(0)
      expect(merged.allRequestCount).toBe(ownTotal)
      expect(merged.allRequestCount).toBe(atTarget)
      expect(merged.fail.request.count).toBe(0)
      for (const [index, label] of LABELS.entries()) {
        const codes = Object.fromEntries(merged.statusCodes.map((code) => [code.statusCode, code.count]))
        expect(codes[`${label}/200`]).toBe(own[index]?.ok)
        // The first round went out while the broker was down and was lost; a later one was acknowledged.
        expect(own[index]?.finalSends).toBeGreaterThanOrEqual(2)
      }
      expect(result.incomplete).toBe(false)
      expect(result.nodes.some((node) => node.lost === true)).toBe(false)
      expect(result.warnings.join('\n')).toMatch(/coordinator \S+ was disconnected from NATS nats:\/\/127\.0\.0\.1:\d+ for [\d.]+ s \([\d.]+ s after load started\); it reconnected and the session went on/)
      for (const agent of agents) {
        expect(agent.output()).toMatch(/disconnected from NATS 127\.0\.0\.1:\d+ \(broker down or unreachable\); reconnecting every 250 ms/)
        expect(agent.output()).toMatch(/reconnected to NATS/)
      }
    } finally {
      info.mockRestore()
      warn.mockRestore()
    }
  })

  it('down past ClusterCommandTimeoutMs: fails saying the broker is down or unreachable, with what was measured; the agents stop their load', async () => {
    const baseline = countsNow()
    const warnings: string[] = []
    const warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')))
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    try {
      const run = coordinator(Simulation.keepConstant(2, '30s'), 2500).run({ quiet: true })
      await loadRunning(baseline, 200)
      // Let interim stats arrive (about once a second) before the broker goes.
      await sleep(1100)
      await nats.stop('SIGKILL')
      const killedAtMs = performance.now()
      const error = await run.then(
        () => undefined,
        (caught: unknown) => caught,
      )
      const failedAfterMs = performance.now() - killedAtMs
      expect(error).toBeInstanceOf(ClusterError)
      const clusterError = error as ClusterError
      expect(clusterError.code).toBe('broker-unreachable')
      expect(clusterError.message).toMatch(
        /^The NATS broker is down or unreachable: coordinator \S+ has been disconnected from NATS nats:\/\/127\.0\.0\.1:\d+ for 2\.\d s, longer than ClusterCommandTimeoutMs \(2500 ms\)\. The run was abandoned [\d.]+ s after load started; the error's result holds what was measured/,
      )
      expect(clusterError.message).not.toMatch(/stopped answering|was lost|were lost/)
      expect(warnings.join('\n')).not.toMatch(/stopped answering/)
      expect(failedAfterMs).toBeGreaterThanOrEqual(2500)
      expect(failedAfterMs).toBeLessThan(2500 + 1000)

      // What was measured: each agent's last interim stats, marked incomplete.
      const result = clusterError.result
      expect(result).toBeDefined()
      expect(result?.incomplete).toBe(true)
      const measured = result?.getScenarioStats('steady').ok.request.count ?? 0
      const sentThisRun = LABELS.reduce((sum, label) => sum + target.countFor(label) - (baseline[label] ?? 0), 0)
      expect(measured).toBeGreaterThan(0)
      expect(measured).toBeLessThanOrEqual(sentThisRun)
      expect(result?.nodes.filter((node) => node.nodeType === 'Agent').map((node) => [node.nodeId, node.lost])).toEqual(
        expect.arrayContaining(agentIds.map((id) => [id, true])),
      )
      expect(result?.warnings.join('\n')).toMatch(/could not be reached: the NATS broker was down or unreachable/)

      // The agents cannot tell a dead broker from a dead coordinator: they stop AgentLostTimeoutMs (5 s) after the last word.
      await until(() => performance.now() - target.lastRequestAtMs > 1000, 10_000, 'the agents stop their load')
      const stoppedAfterKillMs = target.lastRequestAtMs - killedAtMs
      console.log(
        `[faults] broker down for good: run failed ${Math.round(failedAfterMs)} ms after the kill with ${measured} requests measured ` +
          `(${sentThisRun} sent); agents stopped their load ${Math.round(stoppedAfterKillMs)} ms after the kill`,
      )
      expect(stoppedAfterKillMs).toBeLessThan(5000 + 200)
      for (const agent of agents) {
        await agent.waitFor(/abandoned: the coordinator was silent for \d+ ms \(this agent was disconnected from NATS for \d+ ms: broker down or unreachable\); load stopped, clean ran/, 3000)
      }
    } finally {
      warn.mockRestore()
      info.mockRestore()
    }
  })
})
