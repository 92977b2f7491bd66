/**
 * onAgentLost end to end: `vitest run` of a fixture whose two load tests each
 * coordinate two of three `loadspec agent` processes over a real nats-server,
 * and in each the agent given partition 1 SIGKILLs itself mid-run (see the
 * fixture's scenarios.ts). The default ('fail') fails the first test with the
 * agent's name, its scenarios and the merged figures; `{ onAgentLost: 'warn' }`
 * lets the second pass on its assertions, with the loss as an annotation.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { agentIdOf, startAgentProcess, type NodeProcess } from '../support/cluster-processes.js'
import { startNatsServer, type NatsServerHandle } from '../support/nats-server.js'
import { fixturesDir, repoRoot, runVitest, testsByTitle, type VitestRun } from '../support/vitest-cli.js'

interface Agent {
  readonly process: NodeProcess
  readonly id: string
  exited: boolean
}

let nats: NatsServerHandle | undefined
const agents: Agent[] = []
let run: VitestRun

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist/plugin/vitest.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before the e2e tests')
  nats = await startNatsServer()
  const url = nats.url
  const processes = ['lost-1', 'lost-2', 'lost-3'].map((label) =>
    startAgentProcess('test/fixtures/vitest-cluster-lost/scenarios.ts', [`--NatsServerUrl=${url}`, '--ClusterId=vitest-e2e', '--AgentGroup=lost'], { FIXTURE_NODE: label }),
  )
  for (const agentProcess of processes) {
    const agent: Agent = { process: agentProcess, id: await agentIdOf(agentProcess), exited: false }
    void agentProcess.exited.then(() => (agent.exited = true))
    agents.push(agent)
  }
  run = await runVitest([], { cwd: join(fixturesDir, 'vitest-cluster-lost'), json: true, env: { LOADSPEC_NATS_SERVER_URL: url }, timeoutMs: 60_000 })
})

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.process.stop()))
  await nats?.stop()
})

/** `<id> (host <host>, pid <pid>)`, as the cluster names an agent. */
function named(agent: Agent): RegExp {
  return new RegExp(`agent ${agent.id} \\(host [^,]+, pid ${agent.process.pid}\\)`)
}

test('one agent died in each load test, killed mid-run', () => {
  expect(agents.map((agent) => agent.exited).sort(), run.output).toEqual([false, true, true])
})

test("by default a lost agent fails the test, naming the agent and its scenarios, with the merged figures", () => {
  const failed = testsByTitle(run.report).get('a lost agent fails the test by default')
  expect(failed?.status, run.output).toBe('failed')
  const message = failed?.failureMessages.join('\n') ?? ''
  expect(message).toContain(`loadScenario "a lost agent fails the test by default" lost 1 of 2 agents mid-run, so its result is incomplete and the test fails (onAgentLost: 'fail'):`)
  const lost = agents.filter((agent) => named(agent).test(message))
  expect(lost).toHaveLength(1)
  expect(lost[0]?.exited).toBe(true)
  expect(message).toMatch(/stopped answering \(no heartbeat for \d+ ms, AgentLostTimeoutMs is 1000\)/)
  expect(message).toContain('"doomed"')
  expect(message).toContain('Its assertions passed on these partial figures.')
  // The merged table: the survivor's 80 iterations and what the lost agent reported before it died.
  expect(message).toMatch(/scenario "doomed": \d+ requests in /)
  expect(message).toMatch(/lost-\d\/p0of2\s+ok\s+80\s/)
  expect(failed?.meta['loadspec']).toMatchObject({ nodeCount: 3, incomplete: true })
})

test("with onAgentLost: 'warn' the assertions decide, and the loss is annotated", () => {
  const passed = testsByTitle(run.report).get('with onAgentLost: warn the assertions decide')
  expect(passed?.status, run.output).toBe('passed')
  expect(passed?.meta['loadspec']).toMatchObject({ nodeCount: 3, incomplete: true })
  const annotations = run.stdout.slice(run.stdout.indexOf('✓ agent-lost.load.test.ts > with onAgentLost: warn'))
  const warning = /❯ loadspec warning\s*\n\s*↳ (agent .*)/.exec(annotations)?.[1] ?? ''
  expect(warning).toContain('"doomed"')
  const lost = agents.filter((agent) => named(agent).test(warning))
  expect(lost).toHaveLength(1)
  expect(lost[0]?.exited).toBe(true)
})
