/**
 * An agent process SIGKILLed while its keepConstant load
 * runs. The coordinator (this process, through Runner) notices from the
 * missing heartbeats within AgentLostTimeoutMs, stops the surviving nodes
 * and returns a RunResult marked incomplete that holds what the survivor
 * measured and the dead agent's last interim stats, with a warning naming
 * the agent and its scenarios. The whole run ends well within 10 s of the
 * kill. (That `loadScenario` fails on it is the Vitest plugin's part.)
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { Simulation, type RunResult } from '../../src/index.js'
import { agentIdOf, type NodeProcess } from '../support/cluster-processes.js'
import { completedSessions, monitorNamespace, startCountingTarget, startFaultAgent, steadyCoordinator, until, type CountingTarget, type NamespaceMonitor, type TimedLine } from '../support/faults.js'
import { startNatsServer, type NatsServerHandle } from '../support/nats-server.js'

const CLUSTER = 'faults-agent-killed'
/** How much later than the coordinator the monitor in this same process may see a message. */
const MONITOR_SLACK_MS = 30

let nats: NatsServerHandle
let target: CountingTarget
let monitor: NamespaceMonitor
const agents: NodeProcess[] = []

beforeAll(async () => {
  ;[nats, target] = await Promise.all([startNatsServer(), startCountingTarget(3)])
  // Every AgentGroup of the cluster: each test has its own group, so agents of one never serve the other.
  monitor = await monitorNamespace(nats.url, CLUSTER, '*')
})

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop('SIGKILL')))
  await monitor?.close()
  await Promise.all([nats?.stop(), target?.close()])
})

function startAgent(label: string, group: string): NodeProcess {
  const agent = startFaultAgent({ natsUrl: nats.url, clusterId: CLUSTER, agentGroup: group, targetUrl: target.url }, label)
  agents.push(agent)
  return agent
}

/** Console warnings of the coordinator (this process), with their time. */
function captureWarnings(): { lines: TimedLine[]; restore: () => void } {
  const lines: TimedLine[] = []
  const spy = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    lines.push({ atMs: performance.now(), text: args.map(String).join(' ') })
  })
  return { lines, restore: () => spy.mockRestore() }
}

interface KillRun {
  readonly result: RunResult
  readonly killedAtMs: number
  readonly detectedAtMs: number
  readonly endedAtMs: number
  readonly lastHeardFromVictimMs: number
  readonly victimId: string
  readonly survivorId: string
}

/** Two agents under keepConstant(2, 30 s); SIGKILL `victim` once both have loaded the target for a while. */
async function killDuringRun(
  group: string,
  labels: readonly [string, string],
  timing: { heartbeatIntervalMs?: number; agentLostTimeoutMs?: number },
): Promise<KillRun & { readonly survivor: NodeProcess }> {
  const [survivorLabel, victimLabel] = labels
  const survivor = startAgent(survivorLabel, group)
  const victim = startAgent(victimLabel, group)
  const [survivorId, victimId] = await Promise.all([agentIdOf(survivor), agentIdOf(victim)])
  const warnings = captureWarnings()
  try {
    const run = steadyCoordinator({ natsUrl: nats.url, clusterId: CLUSTER, agentGroup: group }, Simulation.keepConstant(2, '30s'), 10_000)
      .withConfig(timing)
      .run({ quiet: true })
    // Both agents load the target, and the victim has sent interim stats (about once a second).
    await until(() => target.countFor(victimLabel) > 100 && target.countFor(survivorLabel) > 100, 10_000, 'both agents load the target')
    await until(() => monitor.messages.some((message) => message.senderId === victimId && message.kind === 'interim'), 5_000, 'interim stats from the victim')
    const killedAtMs = performance.now()
    process.kill(victim.pid, 'SIGKILL')
    const result = await run
    const endedAtMs = performance.now()
    const detection = warnings.lines.find((line) => line.text.includes(victimId) && line.text.includes('stopped answering'))
    const lastHeard = monitor.last((message) => message.senderId === victimId)
    expect(detection, warnings.lines.map((line) => line.text).join('\n')).toBeDefined()
    await survivor.waitFor(/done: \d+ requests, final stats acknowledged/, 5_000)
    return {
      survivor,
      result,
      killedAtMs,
      detectedAtMs: detection?.atMs ?? Number.NaN,
      endedAtMs,
      lastHeardFromVictimMs: lastHeard?.atMs ?? Number.NaN,
      victimId,
      survivorId,
    }
  } finally {
    warnings.restore()
  }
}

describe('an agent SIGKILLed mid-run', () => {
  it('is noticed within the default AgentLostTimeoutMs (5 s); the run ends well within 10 s of the kill, incomplete, with everything measured', async () => {
    const run = await killDuringRun('defaults', ['survivor', 'victim'], {})
    const { result, victimId, survivorId } = run
    const detectionAfterKillMs = run.detectedAtMs - run.killedAtMs
    const detectionAfterLastHeardMs = run.detectedAtMs - run.lastHeardFromVictimMs
    const endAfterKillMs = run.endedAtMs - run.killedAtMs
    console.info(
      `[faults] agent SIGKILL, defaults: detected ${Math.round(detectionAfterKillMs)} ms after the kill ` +
        `(${Math.round(detectionAfterLastHeardMs)} ms after its last message); run ended ${Math.round(endAfterKillMs)} ms after the kill`,
    )
    // AgentLostTimeoutMs (5000) of silence, checked when due (plus timer slack on a busy machine);
    // the victim's last message came shortly before the kill.
    // The monitor shares this process with the coordinator: it stamps a message only after the coordinator
    // has handled it (an interval's merge takes a few ms), so its "last heard" can be a little late.
    expect(detectionAfterLastHeardMs).toBeGreaterThanOrEqual(5000 - MONITOR_SLACK_MS)
    expect(detectionAfterLastHeardMs).toBeLessThan(5000 + 200)
    expect(detectionAfterKillMs).toBeLessThan(5000 + 200)
    expect(endAfterKillMs).toBeLessThan(10_000)

    expect(result.incomplete).toBe(true)
    const byId = new Map(result.nodes.map((node) => [node.nodeId, node]))
    expect(byId.get(victimId)?.lost).toBe(true)
    expect(byId.get(survivorId)?.lost).toBeUndefined()
    expect(byId.get(victimId)?.scenarios).toEqual(['steady'])
    const warningText = result.warnings.join('\n')
    expect(warningText).toMatch(
      new RegExp(`agent ${victimId} \\(host .*, pid \\d+\\) stopped answering \\(no heartbeat for \\d+ ms, AgentLostTimeoutMs is 5000\\) [\\d.]+ s after load started; its scenarios "steady" count the \\d+ intervals it sent`),
    )
    expect(warningText).toMatch(new RegExp(`the run was stopped [\\d.]+ s after load started, before its planned end, because agent ${victimId} was lost`))

    // Where each request ran is in its status code: the survivor's count is exact (its final stats,
    // equal to what it logged and to what the target saw from it); the victim's is what its last
    // interim stats held: some, and never more than the target saw from it.
    const codes = Object.fromEntries(result.getScenarioStats('steady').statusCodes.map((code) => [code.statusCode, code.count]))
    const survivorOwn = completedSessions(run.survivor.output(), 'steady').at(-1)
    expect(codes['survivor/200']).toBe(survivorOwn?.ok)
    expect(codes['survivor/200']).toBe(target.countFor('survivor'))
    expect(codes['victim/200']).toBeGreaterThan(0)
    expect(codes['victim/200']).toBeLessThanOrEqual(target.countFor('victim'))
    console.info(
      `[faults] agent SIGKILL: survivor counted ${codes['survivor/200']} (target saw ${target.countFor('survivor')}); ` +
        `victim's intervals held ${codes['victim/200']} of the ${target.countFor('victim')} the target saw from it`,
    )
    // The survivor was stopped, not left loading for the rest of the 30 s plan.
    expect(result.durationMs).toBeLessThan(15_000)
  })

  it('is noticed sooner with a shorter AgentLostTimeoutMs (the coordinator sends its timing to the agents)', async () => {
    const run = await killDuringRun('short-timeout', ['survivor-2', 'victim-2'], { heartbeatIntervalMs: 200, agentLostTimeoutMs: 1000 })
    const detectionAfterKillMs = run.detectedAtMs - run.killedAtMs
    const endAfterKillMs = run.endedAtMs - run.killedAtMs
    console.info(`[faults] agent SIGKILL, AgentLostTimeoutMs 1000: detected ${Math.round(detectionAfterKillMs)} ms after the kill; run ended ${Math.round(endAfterKillMs)} ms after it`)
    expect(run.detectedAtMs - run.lastHeardFromVictimMs).toBeGreaterThanOrEqual(1000 - MONITOR_SLACK_MS)
    expect(run.detectedAtMs - run.lastHeardFromVictimMs).toBeLessThan(1000 + 200)
    expect(detectionAfterKillMs).toBeLessThan(1000 + 200)
    expect(endAfterKillMs).toBeLessThan(3000)
    expect(run.result.incomplete).toBe(true)
    expect(run.result.warnings.join('\n')).toContain(`AgentLostTimeoutMs is 1000`)
  })
})
