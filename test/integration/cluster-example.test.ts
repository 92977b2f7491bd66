/**
 * examples/cluster, run the way its README says: a nats-server, two
 * `loadspec agent` processes, then the coordinator script. Only the ports
 * (and the report folder) differ, so parallel test runs do not collide.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { startAgentProcess, startNodeProcess, type NodeProcess } from '../support/cluster-processes.js'
import { freePort, startNatsServer, type NatsServerHandle } from '../support/nats-server.js'

let nats: NatsServerHandle | undefined
const processes: NodeProcess[] = []
const reportFolder = mkdtempSync(join(tmpdir(), 'loadspec-cluster-example-'))

afterAll(async () => {
  await Promise.all(processes.map((process) => process.stop()))
  await nats?.stop()
  rmSync(reportFolder, { recursive: true, force: true })
})

it('runs examples/cluster as its README describes: nats-server, two agents, the coordinator', async () => {
  nats = await startNatsServer()
  const shopPort = await freePort()
  const config = '--config=examples/cluster/loadspec.config.json'
  for (let i = 0; i < 2; i++) {
    processes.push(startAgentProcess('examples/cluster/scenarios.ts', [config, `--NatsServerUrl=${nats.url}`], { SHOP_PORT: String(shopPort) }))
  }
  await Promise.all(processes.map((agent) => agent.waitFor(/waiting for a coordinator/)))
  const coordinator = startNodeProcess(['bin/loadspec.js', 'run', 'examples/cluster/coordinator.ts', `--NatsServerUrl=${nats.url}`, `--ReportFolder=${reportFolder}`], {
    SHOP_PORT: String(shopPort),
  })
  processes.push(coordinator)
  const exitCode = await coordinator.exited
  const output = coordinator.output()
  expect(exitCode, output).toBe(0)
  expect(output).toMatch(/^browse: 200 ok, 0 failed/m)
  expect(output).toMatch(/^health-check: 10 ok, 0 failed/m)
  expect(output).toMatch(/Coordinator \S+ ran health-check \(partition 1 of 1\)/)
  expect(output).toMatch(/Agent \S+ ran browse \(partition 1 of 2\)/)
  expect(output).toMatch(/Agent \S+ ran browse \(partition 2 of 2\)/)
  expect(output).toContain('the shop answered 210 requests; loadspec counted 210')
  for (const agent of processes.slice(0, 2)) await agent.waitFor(/done: 100 requests, final stats acknowledged/)
})
