/**
 * The local cluster's coordinator service as a process of its own: the
 * global setup's LocalCluster, started here directly with one agent on a real
 * nats-server; the service is SIGKILLed, reported once, and restarted before
 * the next rerun, and the new service finds the agent that kept running.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { silentClusterLog } from '../../src/cluster/log.js'
import { queryServiceStatus } from '../../src/cluster/service/status-query.js'
import type { ServiceStatus } from '../../src/cluster/service/protocol.js'
import { createTransportFactory } from '../../src/cluster/transport/factory.js'
import type { LoadspecConfig } from '../../src/config/index.js'
import { Runner } from '../../src/runner/runner.js'
import { LocalCluster } from '../../plugin/local-cluster/cluster.js'
import { localClusterProcesses } from '../support/local-cluster.js'
import { repoRoot } from '../support/vitest-cli.js'

const fixture = join(repoRoot, 'test/fixtures/vitest-local-cluster')
const scratch = mkdtempSync(join(tmpdir(), 'loadspec-local-service-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

async function serviceStatus(config: LoadspecConfig): Promise<ServiceStatus> {
  const transports = createTransportFactory(config, silentClusterLog)
  const transport = await transports.connect('local-cluster-service test')
  try {
    return await queryServiceStatus({ transport, config, timeoutMs: 5000 })
  } finally {
    await transport.close()
    await transports.close()
  }
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

test('a killed coordinator service is said once and restarted before the next rerun; the running agent is kept and found again', async () => {
  const lines: string[] = []
  const defaults = Runner.registerScenarios().withConfigSources({ argv: [], env: {} }).withoutReports().resolveConfig()
  const config: LoadspecConfig = { ...defaults, reportFolder: join(scratch, 'reports') }
  const cluster = await LocalCluster.start({ options: { agents: 1, scenarios: ['scenarios.ts'] }, config, root: fixture, say: (line) => lines.push(line) })
  try {
    expect(cluster.runConfig.nodeType).toBe('Client')
    expect(lines).toEqual([expect.stringMatching(/^local cluster: nats 127\.0\.0\.1:\d+, coordinator, 1 agent, ready in \d+ ms/)])
    const before = await serviceStatus(cluster.runConfig)
    expect(before.agents.map((agent) => agent.agentId)).toEqual(['local-1'])
    const agentPid = before.agents[0]?.pid
    // The service, the agent and nats-server are processes of this run, none of them this one.
    const marked = localClusterProcesses(process.pid).map((child) => child.pid)
    expect(marked).toEqual(expect.arrayContaining([before.pid, agentPid]))
    expect([before.pid, agentPid]).not.toContain(process.pid)

    process.kill(before.pid, 'SIGKILL')
    await until('the crash line', () => lines.some((line) => line.includes(`coordinator (pid ${before.pid}) was killed by SIGKILL; it is restarted before the next run`)))
    expect(await cluster.beforeRerun()).toBeUndefined()
    expect(lines.at(-1)).toMatch(/^local cluster: coordinator restarted \(coordinator had exited\), ready in \d+ ms$/)

    const after = await serviceStatus(cluster.runConfig)
    expect(after.pid).not.toBe(before.pid)
    expect(after.serviceId).not.toBe(before.serviceId)
    expect(after.agents.map((agent) => [agent.agentId, agent.pid, agent.state])).toEqual([['local-1', agentPid, 'idle']])
    // Nothing changed since: the next rerun restarts nothing.
    const said = lines.length
    expect(await cluster.beforeRerun()).toBeUndefined()
    expect(lines.length).toBe(said)
  } finally {
    await cluster.stop()
  }
  expect(localClusterProcesses(process.pid)).toEqual([])
}, 60_000)
