/**
 * Two `loadspec agent --agent-id dup` processes. Every
 * process has an instance id besides the id it was given, and reserve and
 * assign name the instance, so only the process a session assigned runs
 * load; the coordinator, hearing both alive, keeps the older and tells the
 * younger to leave, which exits (code 1) naming the older's host and pid.
 * Whatever the timing, the merged count equals what the target received.
 */
import { expect, it } from 'vitest'
import { Simulation } from '../../src/index.js'
import { agentIdOf, type NodeProcess } from '../support/cluster-processes.js'
import { startFaultAgent, steadyCoordinator, useFaultCluster } from '../support/faults.js'

const faults = useFaultCluster('faults-duplicate-agent', 'g')

function startDup(label: string): NodeProcess {
  return faults.track(startFaultAgent(faults.cluster(), label, ['--agent-id=dup']))
}

/** One agent, 50 requests; heartbeats every 200 ms, so a second process is confirmed within a fraction of the run. */
function coordinate() {
  return steadyCoordinator(faults.cluster(), Simulation.inject(50, 1, '1s'), 10_000)
    .withAgentsCount(1)
    .withConfig({ heartbeatIntervalMs: 200 })
    .run({ quiet: true })
}

/** The line a leaving process prints, naming the process that keeps the id. */
const leaving = (keeperPid: number) => new RegExp(`another agent process announces the agent id dup: dup \\(host \\S+, pid ${keeperPid}\\), started \\S+; coordinator \\S+ keeps that one, so this process \\(host \\S+, pid \\d+\\) leaves the cluster`)

it('two processes under one --agent-id: only the assigned one runs load, the younger leaves naming the older, and the merged count is what the target received', async () => {
  // Started together: both announce the same id.
  const first = startDup('dup-a')
  const second = startDup('dup-b')
  expect(await Promise.all([agentIdOf(first), agentIdOf(second)])).toEqual(['dup', 'dup'])

  const result = await coordinate()
  const merged = result.getScenarioStats('steady').ok.request.count
  expect(merged).toBe(50)
  expect(faults.target().requestCount).toBe(merged)
  expect(result.incomplete).toBe(false)
  // Exactly one of them ran the load (its label is in the status codes), the other nothing.
  const ranBy = result.getScenarioStats('steady').statusCodes.map((code) => code.statusCode)
  expect(ranBy.length).toBe(1)
  expect(faults.target().countFor('dup-a') + faults.target().countFor('dup-b')).toBe(50)
  expect(Math.min(faults.target().countFor('dup-a'), faults.target().countFor('dup-b'))).toBe(0)
  expect(result.warnings.join('\n')).toMatch(/2 agent processes announce the agent id dup \(host \S+, pid \d+; host \S+, pid \d+\): the oldest \(host \S+, pid \d+\) keeps it and the other was told to leave the cluster/)

  // The younger process (the one that started later) leaves with exit code 1 and says who keeps the id.
  const exits = await Promise.race([Promise.any([first.exited.then(() => first), second.exited.then(() => second)]), new Promise<undefined>((resolve) => setTimeout(resolve, 10_000))])
  expect(exits, 'one of the two processes should have left').toBeDefined()
  const left = exits as NodeProcess
  const kept = left === first ? second : first
  expect(await left.exited).toBe(1)
  expect(left.output()).toMatch(leaving(kept.pid))
  console.info(`[faults] duplicate agent id: pid ${left.pid} left, pid ${kept.pid} kept the id; merged ${merged} = target ${faults.target().requestCount}`)

  // Every time: a third process with the same id joins the one that kept it; the next session counts exactly again,
  // and the newcomer leaves (after that session, if it is the one assigned), naming the kept one.
  const third = startDup('dup-c')
  expect(await agentIdOf(third)).toBe('dup')
  const before = faults.target().requestCount
  const next = await coordinate()
  expect(next.incomplete).toBe(false)
  expect(next.getScenarioStats('steady').ok.request.count).toBe(50)
  expect(faults.target().requestCount - before).toBe(50)
  expect(await Promise.race([third.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000))])).toBe(1)
  expect(third.output()).toMatch(leaving(kept.pid))
  expect(kept.output()).not.toMatch(/leaves the cluster/)
})
