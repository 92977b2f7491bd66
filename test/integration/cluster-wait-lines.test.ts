/**
 * What a run says while it waits: a Coordinator missing agents prints at once
 * "waiting up to N s for 2 agents (…)" and a line each time who answered
 * changes; a Client's global setup with no coordinator service there stops
 * within a few seconds, saying what to start.
 */
import { afterEach, expect, it, vi } from 'vitest'
import { checkServiceUpFront } from '../../plugin/service-check.js'
import { ClusterError } from '../../src/cluster/index.js'
import { resolveConfig, Simulation } from '../../src/index.js'
import { agentIdOf } from '../support/cluster-processes.js'
import { startFaultAgent, steadyCoordinator, until, useFaultCluster } from '../support/faults.js'

const file = useFaultCluster('wait-lines', 'g')

afterEach(() => vi.restoreAllMocks())

it('a coordinator missing agents says at once what it waits for, then each change', async () => {
  const lines: string[] = []
  vi.spyOn(console, 'info').mockImplementation((line: unknown) => void lines.push(String(line)))
  const run = steadyCoordinator(file.cluster(), Simulation.inject(5, 1, '1s'), 4000).run({ quiet: true }).catch((error: unknown) => error)
  await until(() => lines.some((line) => line.includes('waiting up to 4 s for 2 agents (none answered yet)')), 2000, `the first waiting line; got:\n${lines.join('\n')}`)
  const agent = file.track(startFaultAgent(file.cluster(), 'lonely'))
  const agentId = await agentIdOf(agent)
  await until(() => lines.some((line) => line.includes(`waiting up to 4 s for 2 agents (1 answered: ${agentId}`)), 5000, `the changed line; got:\n${lines.join('\n')}`)
  const error = await run
  expect((error as ClusterError).code).toBe('agents-missing')
  // One line per change, not one per announce.
  expect(lines.filter((line) => line.includes('waiting up to')).length).toBe(2)
})

it("a Client's global setup stops within a few seconds when no coordinator service answers, saying what to start", async () => {
  const config = resolveConfig({ builder: { nodeType: 'Client', natsServerUrl: file.cluster().natsUrl, clusterId: 'nobody', agentGroup: 'home', agentLostTimeoutMs: 1500 }, argv: [], env: {} })
  const began = performance.now()
  const error = await checkServiceUpFront(config).catch((caught: unknown) => caught)
  expect(performance.now() - began).toBeLessThan(4000)
  expect((error as ClusterError).code).toBe('service-unreachable')
  expect((error as ClusterError).message).toMatch(/no test ran\. With NodeType "Client".*\nNo coordinator service answered a status request on loadspec\.nobody\.home\.service\.status .* within 1500 ms: is `loadspec coordinator` running/s)
})
