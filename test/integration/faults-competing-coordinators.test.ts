/**
 * Issue 11, item 2: two coordinator processes started together, each with
 * AgentsCount 2, and two agents (two CI jobs sharing a cluster, or Jest's
 * parallel workers). Reservations are all or nothing with a short lease: a
 * coordinator that gets only one agent releases it and tries again after a
 * jittered back-off, so both runs finish, one after the other, within about
 * twice the run time, instead of each holding one agent until
 * ClusterCommandTimeoutMs (60 s here). Counts are checked at the target.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { agentIdOf, startNodeProcess, type NodeProcess } from '../support/cluster-processes.js'
import { startCountingTarget, startFaultAgent, type CountingTarget } from '../support/faults.js'
import { startNatsServer, type NatsServerHandle } from '../support/nats-server.js'

const CLUSTER = 'faults-competing-coordinators'
const GROUP = 'g'
const RUN_MS = 2000
const RATE = 50
const COMMAND_TIMEOUT_MS = 60_000

let nats: NatsServerHandle
let target: CountingTarget
const processes: NodeProcess[] = []

beforeAll(async () => {
  ;[nats, target] = await Promise.all([startNatsServer(), startCountingTarget(3)])
})

afterAll(async () => {
  await Promise.all(processes.map((process) => process.stop('SIGKILL')))
  await Promise.all([nats?.stop(), target?.close()])
})

function startCoordinator(): NodeProcess {
  const coordinator = startNodeProcess(['bin/loadspec.js', 'run', 'test/fixtures/faults-nodes/coordinator.ts'], {
    LOADSPEC_NATS_SERVER_URL: nats.url,
    LOADSPEC_CLUSTER_ID: CLUSTER,
    LOADSPEC_AGENT_GROUP: GROUP,
    LOADSPEC_AGENTS_COUNT: '2',
    LOADSPEC_AGENT_TARGET_SCENARIOS: 'steady',
    LOADSPEC_CLUSTER_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
    FAULTS_INJECT_PER_SECOND: String(RATE),
    FAULTS_INJECT_DURATION: `${RUN_MS}ms`,
  })
  processes.push(coordinator)
  return coordinator
}

it('two coordinators needing both agents both succeed, one after the other, within 2 × the run time + a few seconds', async () => {
  const agents = ['agent-a', 'agent-b'].map((label) => startFaultAgent({ natsUrl: nats.url, clusterId: CLUSTER, agentGroup: GROUP, targetUrl: target.url }, label))
  processes.push(...agents)
  await Promise.all(agents.map((agent) => agentIdOf(agent)))

  const startedMs = performance.now()
  const coordinators = [startCoordinator(), startCoordinator()]
  const finishedAtMs: number[] = []
  const codes = await Promise.all(coordinators.map((coordinator) => coordinator.exited.then((code) => (finishedAtMs.push(performance.now() - startedMs), code))))
  const lastMs = Math.max(...finishedAtMs)
  const busyLines = coordinators.map((coordinator) => (coordinator.output().match(/is busy \(/g) ?? []).length)
  console.info(
    `[faults] competing coordinators: both done ${Math.round(lastMs)} ms after they started (finished at ${finishedAtMs.map(Math.round).join(' and ')} ms; ` +
      `each run ${RUN_MS} ms of load; "busy" answers heard: ${busyLines.join(' and ')})`,
  )
  for (const coordinator of coordinators) {
    expect(coordinator.output()).toMatch(new RegExp(`finished: ${2 * RATE * (RUN_MS / 1000)} requests`))
  }
  expect(codes).toEqual([0, 0])
  // Every request each run counted reached the target, and nothing else did.
  expect(target.requestCount).toBe(2 * 2 * RATE * (RUN_MS / 1000))
  // Two process start-ups (~1 s each, loading TypeScript), two runs back to back, and back-offs of at most 2 s.
  expect(lastMs).toBeLessThan(2 * RUN_MS + 8000)
})
