/**
 * The "Least privilege" nats-server configuration of docs/coordinator-service.md,
 * taken from the page and run: a service, an agent (`--agent-id agent-1`) and a
 * client (`ClientId ci-a`), each with its own user, complete a session with no
 * permission refused; and the client's limits hold: it cannot command agents,
 * pose as an agent, speak for another client's session or hear another client.
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
import { startServiceProcess } from '../support/service-processes.js'

const PASSWORDS = { NATS_SERVICE_PASSWORD: 'service-secret-71c2', NATS_AGENT_1_PASSWORD: 'agent-1-secret-0b4e', NATS_CI_A_PASSWORD: 'ci-a-secret-9d3a' }
const folder = mkdtempSync(join(tmpdir(), 'loadspec-service-permissions-'))
let nats: NatsServerHandle
let target: CountingTarget
const processes: NodeProcess[] = []

/** The first ```conf block after the "## Least privilege" heading of docs/coordinator-service.md. */
function documentedConfig(): string {
  const page = readFileSync(join(REPO_ROOT, 'docs', 'coordinator-service.md'), 'utf8')
  const block = /```conf\n([\s\S]*?)```/.exec(page.slice(page.indexOf('## Least privilege')))?.[1]
  if (block === undefined) throw new Error('docs/coordinator-service.md has no ```conf block under "## Least privilege"')
  return block
}

beforeAll(async () => {
  const config = join(folder, 'least-privilege.conf')
  writeFileSync(config, documentedConfig())
  ;[nats, target] = await Promise.all([startNatsServer(['-c', config], { env: PASSWORDS }), startCountingTarget(1)])
})

afterAll(async () => {
  await Promise.all(processes.map((process) => process.stop('SIGKILL')))
  await Promise.all([nats?.stop(), target?.close()])
  rmSync(folder, { recursive: true, force: true })
})

it('runs a client session with the documented configuration, no permission refused', async () => {
  const cluster = { natsUrl: nats.url, clusterId: 'shop', agentGroup: 'eu' }
  const service = startServiceProcess(cluster, ['--NatsUser=service'], { LOADSPEC_NATS_PASSWORD: PASSWORDS.NATS_SERVICE_PASSWORD })
  const agent = startAgentProcess('test/fixtures/faults-nodes/scenarios.ts', ['--agent-id', 'agent-1', `--NatsServerUrl=${nats.url}`, '--NatsUser=agent-1', '--ClusterId=shop', '--AgentGroup=eu'], {
    LOADSPEC_FIXTURE_NODE: 'agent-1',
    LOADSPEC_NATS_PASSWORD: PASSWORDS.NATS_AGENT_1_PASSWORD,
    FAULTS_TARGET_URL: target.url,
  })
  processes.push(service, agent)
  await Promise.all([service.waitFor(/serving ClusterId "shop"/), agent.waitFor(/agent agent-1 \(host .*\) joined/)])
  const warnings: string[] = []
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')))
  try {
    const result = await Runner.registerScenarios(steady.withLoadSimulations(Simulation.iterationsForConstant(2, 40)))
      .withConfigSources({ argv: [], env: {} })
      .withoutReports()
      .withNodeType('Client')
      .withNatsServerUrl(nats.url)
      .withConfig({ natsUser: 'ci-a', natsPassword: PASSWORDS.NATS_CI_A_PASSWORD, clientId: 'ci-a', heartbeatIntervalMs: 250, agentLostTimeoutMs: 2000 })
      .withClusterId('shop')
      .withAgentGroup('eu')
      .withAgentsCount(1)
      .run({ quiet: true })
    expect(result.getScenarioStats('steady').ok.request.count).toBe(40)
    expect(target.countFor('agent-1')).toBe(40)
    expect(result.nodes.map((node) => node.nodeId)).toContain('agent-1')
    await service.waitFor(/session \S+ from ci-a \(host .*\): "steady" on agent-1, [\d.]+ s: 40 ok, 0 failed; done/)
    expect(warnings.join('\n')).not.toMatch(/Permissions Violation/i)
    for (const process of [service, agent]) expect(process.output()).not.toMatch(/Permissions Violation/i)
  } finally {
    vi.restoreAllMocks()
  }
})

it("holds a client's user to the service subjects and its own session subjects", async () => {
  const refusals: string[] = []
  const log: ClusterLog = { info: () => {}, debug: () => {}, warn: (message) => void refusals.push(message) }
  const transport = await connectNatsTransport({ natsServerUrl: [nats.url], natsUser: 'ci-a', natsPassword: PASSWORDS.NATS_CI_A_PASSWORD }, { log, name: 'permissions test (ci-a)' })
  try {
    const bytes = new TextEncoder().encode('{}')
    transport.publish('loadspec.shop.eu.agent.agent-1', bytes)
    transport.publish('loadspec.shop.eu.announce', bytes)
    transport.publish('loadspec.shop.eu.service.session.ci-b.s1', bytes)
    transport.subscribe('loadspec.shop.eu.client.ci-b.s1', () => {})
    await transport.flush()
    await until(() => refusals.length >= 4, 3000, `the broker refuses all four; got:\n${refusals.join('\n')}`)
    await sleep(100)
    const all = refusals.join('\n')
    expect(all).toMatch(/Permissions Violation for Publish to "?loadspec\.shop\.eu\.agent\.agent-1/)
    expect(all).toMatch(/Permissions Violation for Publish to "?loadspec\.shop\.eu\.announce/)
    expect(all).toMatch(/Permissions Violation for Publish to "?loadspec\.shop\.eu\.service\.session\.ci-b\.s1/)
    expect(all).toMatch(/Permissions Violation for Subscription to "?loadspec\.shop\.eu\.client\.ci-b\.s1/)
  } finally {
    await transport.close()
  }
})
