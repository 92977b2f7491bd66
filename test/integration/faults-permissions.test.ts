/**
 * The "Least privilege" nats-server configuration of docs/cluster.md, taken
 * from the page itself and run: a coordinator and an agent (`--agent-id agent-1`),
 * each with its own user limited to the cluster's namespace, complete a
 * session with no permission refused; and the limits hold: the agent's user
 * cannot speak for a coordinator, listen to another agent's commands, or
 * reach another namespace, and the coordinator's user cannot pose as an
 * agent.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { Runner, Simulation } from '../../src/index.js'
import { connectNatsTransport, type ClusterLog } from '../../src/cluster/index.js'
import { steady } from '../fixtures/faults-nodes/scenarios.js'
import { REPO_ROOT, startAgentProcess, type NodeProcess } from '../support/cluster-processes.js'
import { sleep, startCountingTarget, until, type CountingTarget } from '../support/faults.js'
import { startNatsServer, type NatsServerHandle } from '../support/nats-server.js'

const PASSWORDS = { NATS_COORDINATOR_PASSWORD: 'coordinator-secret-5d1e', NATS_AGENT_1_PASSWORD: 'agent-1-secret-a93f' }
const folder = mkdtempSync(join(tmpdir(), 'loadspec-faults-permissions-'))
let nats: NatsServerHandle
let target: CountingTarget
let agent: NodeProcess | undefined

/** The first ```conf block after the "## Least privilege" heading of docs/cluster.md. */
function readmeConfig(): string {
  const readme = readFileSync(join(REPO_ROOT, 'docs', 'cluster.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Least privilege'))
  const block = /```conf\n([\s\S]*?)```/.exec(section)?.[1]
  if (block === undefined) throw new Error('docs/cluster.md has no ```conf block under "## Least privilege"')
  return block
}

beforeAll(async () => {
  const config = join(folder, 'least-privilege.conf')
  writeFileSync(config, readmeConfig())
  ;[nats, target] = await Promise.all([startNatsServer(['-c', config], { env: PASSWORDS }), startCountingTarget(1)])
})

afterAll(async () => {
  await agent?.stop('SIGKILL')
  await Promise.all([nats?.stop(), target?.close()])
  rmSync(folder, { recursive: true, force: true })
})

/** A transport as `user`, logging what the broker refuses. */
async function connectAs(user: string, password: string) {
  const refusals: string[] = []
  const log: ClusterLog = { info: () => {}, debug: () => {}, warn: (message) => void refusals.push(message) }
  const transport = await connectNatsTransport({ natsServerUrl: [nats.url], natsUser: user, natsPassword: password }, { log, name: `permissions test (${user})` })
  return { transport, refusals }
}

it('runs a session with the documented configuration, no permission refused', async () => {
  agent = startAgentProcess(
    'test/fixtures/faults-nodes/scenarios.ts',
    ['--agent-id', 'agent-1', `--NatsServerUrl=${nats.url}`, '--NatsUser=agent-1', '--ClusterId=shop', '--AgentGroup=eu'],
    { LOADSPEC_FIXTURE_NODE: 'agent-1', LOADSPEC_NATS_PASSWORD: PASSWORDS.NATS_AGENT_1_PASSWORD, FAULTS_TARGET_URL: target.url },
  )
  await agent.waitFor(/agent agent-1 \(host .*\) joined ClusterId "shop" \/ AgentGroup "eu"/)
  const warnings: string[] = []
  const warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')))
  try {
    const result = await Runner.registerScenarios(steady.withLoadSimulations(Simulation.iterationsForConstant(2, 50)))
      .withConfigSources({ argv: [], env: {} })
      .withoutReports()
      .withNodeType('Coordinator')
      .withNatsServerUrl(nats.url)
      .withConfig({ natsUser: 'coordinator', natsPassword: PASSWORDS.NATS_COORDINATOR_PASSWORD })
      .withClusterId('shop')
      .withAgentGroup('eu')
      .withAgentsCount(1)
      .withAgentTargetScenarios('steady')
      .withClusterCommandTimeout(10_000)
      .run({ quiet: true })
    expect(result.getScenarioStats('steady').ok.request.count).toBe(50)
    expect(result.nodes.map((node) => node.nodeId)).toContain('agent-1')
    await agent.waitFor(/final stats acknowledged/)
    expect(warnings.join('\n')).not.toMatch(/Permissions Violation/i)
    expect(agent.output()).not.toMatch(/Permissions Violation/i)
  } finally {
    warn.mockRestore()
  }
})

it("holds the agent's user to its own subjects, and the coordinator's to its own", async () => {
  const asAgent = await connectAs('agent-1', PASSWORDS.NATS_AGENT_1_PASSWORD)
  const asCoordinator = await connectAs('coordinator', PASSWORDS.NATS_COORDINATOR_PASSWORD)
  try {
    // The agent's user may not command agents, listen to another agent, or leave its namespace.
    asAgent.transport.publish('loadspec.shop.eu.agent.agent-2', new TextEncoder().encode('{}'))
    asAgent.transport.subscribe('loadspec.shop.eu.agent.agent-2', () => {})
    asAgent.transport.subscribe('loadspec.other.eu.discover', () => {})
    // The coordinator's user may not pose as an agent.
    asCoordinator.transport.publish('loadspec.shop.eu.announce', new TextEncoder().encode('{}'))
    await Promise.all([asAgent.transport.flush(), asCoordinator.transport.flush()])
    await until(() => asAgent.refusals.length >= 3 && asCoordinator.refusals.length >= 1, 3000, 'the broker refuses all four')
    await sleep(100)
    const agentRefusals = asAgent.refusals.join('\n')
    expect(agentRefusals).toMatch(/Permissions Violation for Publish to "?loadspec\.shop\.eu\.agent\.agent-2/)
    expect(agentRefusals).toMatch(/Permissions Violation for Subscription to "?loadspec\.shop\.eu\.agent\.agent-2/)
    expect(agentRefusals).toMatch(/Permissions Violation for Subscription to "?loadspec\.other\.eu\.discover/)
    expect(asCoordinator.refusals.join('\n')).toMatch(/Permissions Violation for Publish to "?loadspec\.shop\.eu\.announce/)
  } finally {
    await Promise.all([asAgent.transport.close(), asCoordinator.transport.close()])
  }
})
