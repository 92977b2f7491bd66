/**
 * Agents whose clocks are off: one 3 s ahead, one 3 s behind, one right
 * (a preload shifts Date.now in each agent process). The coordinator
 * estimates each offset from the assign/accepted exchange that was answered
 * and sends the start time in each agent's own clock: measured at the
 * target, each agent's first request of the session arrives within 50 ms of
 * the others', and the result carries no start warning. An agent started
 * while a session runs is not used by it, and the result says so.
 */
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { Simulation } from '../../src/index.js'
import { agentIdOf, REPO_ROOT, type NodeProcess } from '../support/cluster-processes.js'
import { startFaultAgent, steadyCoordinator, until, useFaultCluster } from '../support/faults.js'

const CLUSTER = 'faults-clock-skew'
const GROUP = 'g'
const SHIFTS_MS = { ahead: 3000, behind: -3000, right: 0 } as const
const PRELOAD = pathToFileURL(`${REPO_ROOT}test/fixtures/clock-shift/preload.mjs`).href

const file = useFaultCluster(CLUSTER, GROUP)
const cluster = file.cluster
const agents: NodeProcess[] = []

beforeAll(async () => {
  for (const [label, shiftMs] of Object.entries(SHIFTS_MS)) {
    const agent = file.track(startFaultAgent(cluster(), label, [], { NODE_OPTIONS: `--import=${PRELOAD}`, LOADSPEC_TEST_CLOCK_SHIFT_MS: String(shiftMs) }))
    agents.push(agent)
  }
  await Promise.all(agents.map((agent) => agentIdOf(agent)))
})

function coordinate(duration: string) {
  return steadyCoordinator(cluster(), Simulation.keepConstant(1, duration), 15_000).withAgentsCount(3).run({ quiet: true })
}

describe('agents with skewed clocks', () => {
  it('start within 50 ms of each other, measured at the target, 3 s ahead and 3 s behind alike', async () => {
    // A first session warms each agent's HTTP client, so the measured one compares starts, not cold connections.
    await coordinate('300ms')
    const sinceMs = performance.now()
    const result = await coordinate('1s')
    const firsts = Object.keys(SHIFTS_MS).map((label) => [label, file.target().firstFrom(label, sinceMs)] as const)
    const earliest = Math.min(...firsts.map(([, at]) => at ?? Number.NaN))
    const spreadMs = Math.max(...firsts.map(([, at]) => at ?? Number.NaN)) - earliest
    console.log(`[faults] skewed clocks: first request of each agent after the earliest: ${firsts.map(([label, at]) => `${label} +${((at ?? Number.NaN) - earliest).toFixed(1)} ms`).join(', ')}`)
    expect(firsts.every(([, at]) => at !== undefined)).toBe(true)
    expect(spreadMs).toBeLessThan(50)
    expect(result.incomplete).toBe(false)
    expect(result.warnings.filter((warning) => /the common start/.test(warning))).toEqual([])
  }, 60_000)
})

describe('an agent that starts while a session runs', () => {
  it('is not used by it, and the result says so, naming it', async () => {
    const run = steadyCoordinator(cluster(), Simulation.keepConstant(1, '3s'), 15_000).withAgentsCount(3).run({ quiet: true })
    const sinceMs = performance.now()
    await until(() => Object.keys(SHIFTS_MS).every((label) => file.target().firstFrom(label, sinceMs) !== undefined), 10_000, 'the session runs')
    const late = file.track(startFaultAgent(cluster(), 'late'))
    agents.push(late)
    const lateId = await agentIdOf(late)
    const result = await run
    expect(result.nodes.map((node) => node.nodeId)).not.toContain(lateId)
    expect(file.target().countFor('late')).toBe(0)
    expect(result.warnings).toContainEqual(expect.stringMatching(new RegExp(`^agent ${lateId} \\(host \\S+, pid ${late.pid}\\) announced [\\d.]+ s into the session and was not used`)))
  }, 30_000)
})

