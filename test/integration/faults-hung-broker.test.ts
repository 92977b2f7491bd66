/**
 * A hung broker (nats-server stopped with SIGSTOP: its sockets stay open, it
 * just stops answering) under a running cluster. Only unanswered pings tell
 * (pinged every AgentLostTimeoutMs / 5, two outstanding at most): the run
 * ends as broker-unreachable within AgentLostTimeoutMs + 2 s of the stop,
 * with what was measured, and no agent is blamed for the silence. Resumed
 * (SIGCONT), the broker carries a new session that both agents serve.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { Simulation } from '../../src/index.js'
import { ClusterError } from '../../src/cluster/index.js'
import { agentIdOf, type NodeProcess } from '../support/cluster-processes.js'
import { sleep, startCountingTarget, startFaultAgent, steadyCoordinator, until, type CountingTarget } from '../support/faults.js'
import { startNatsServer, type NatsServerHandle } from '../support/nats-server.js'

const CLUSTER = 'faults-hung-broker'
const GROUP = 'g'
const LABELS = ['hung-a', 'hung-b'] as const
const AGENT_LOST_TIMEOUT_MS = 5000

let nats: NatsServerHandle
let target: CountingTarget
let agents: NodeProcess[] = []
let stopped = false

beforeAll(async () => {
  ;[nats, target] = await Promise.all([startNatsServer(), startCountingTarget(3)])
  agents = LABELS.map((label) => startFaultAgent(cluster(), label))
  await Promise.all(agents.map((agent) => agentIdOf(agent)))
})

afterAll(async () => {
  if (stopped) process.kill(nats.pid, 'SIGCONT')
  await Promise.all(agents.map((agent) => agent.stop('SIGKILL')))
  await Promise.all([nats?.stop(), target?.close()])
})

function cluster() {
  return { natsUrl: nats.url, clusterId: CLUSTER, agentGroup: GROUP, targetUrl: target.url }
}

describe('a hung broker', () => {
  it('ends the run as broker-unreachable within AgentLostTimeoutMs + 2 s, blaming no agent; resumed, it serves a new session', async () => {
    const warnings: string[] = []
    const warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')))
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    try {
      // ClusterCommandTimeoutMs is far longer: waiting that long for a broker would only keep a dead run open.
      const run = steadyCoordinator(cluster(), Simulation.keepConstant(2, '10s'), 60_000).run({ quiet: true })
      await until(() => LABELS.every((label) => target.countFor(label) > 0), 10_000, 'both agents load the target')
      await sleep(2000)
      process.kill(nats.pid, 'SIGSTOP')
      stopped = true
      const stoppedAtMs = performance.now()
      const error = await run.then(
        () => undefined,
        (caught: unknown) => caught,
      )
      const failedAfterMs = performance.now() - stoppedAtMs
      console.log(`[faults] hung broker: the run failed ${Math.round(failedAfterMs)} ms after SIGSTOP (AgentLostTimeoutMs ${AGENT_LOST_TIMEOUT_MS})`)
      expect(error).toBeInstanceOf(ClusterError)
      const clusterError = error as ClusterError
      expect(clusterError.code).toBe('broker-unreachable')
      expect(clusterError.message).toMatch(/longer than AgentLostTimeoutMs \(5000 ms\): every agent has stopped its load by now/)
      expect(failedAfterMs).toBeLessThan(AGENT_LOST_TIMEOUT_MS + 2000)
      expect(clusterError.message).not.toMatch(/stopped answering|was lost|were lost/)
      expect(warnings.join('\n')).not.toMatch(/stopped answering/)
      const measured = clusterError.result?.getScenarioStats('steady').ok.request.count ?? 0
      expect(measured).toBeGreaterThan(0)
      expect(measured).toBeLessThanOrEqual(target.requestCount)
      expect(clusterError.result?.incomplete).toBe(true)
    } finally {
      warn.mockRestore()
      info.mockRestore()
    }

    process.kill(nats.pid, 'SIGCONT')
    stopped = false
    const before = target.requestCount
    const again = await steadyCoordinator(cluster(), Simulation.keepConstant(1, '1s'), 30_000).run({ quiet: true })
    const counted = again.getScenarioStats('steady').allRequestCount
    console.log(`[faults] hung broker resumed: a new session ran ${counted} requests on ${again.nodes.length - 1} agents`)
    expect(again.incomplete).toBe(false)
    expect(again.nodes.filter((node) => node.nodeType === 'Agent')).toHaveLength(2)
    expect(counted).toBe(target.requestCount - before)
  }, 60_000)
})
