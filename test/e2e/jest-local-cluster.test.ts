/**
 * `testEnvironmentOptions.loadspec.localCluster` in a real `jest` run: the
 * global setup starts a nats-server and two agent processes, the load test
 * (in a Jest worker) runs on them, and nothing of the run is left once Jest
 * has exited.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { HttpTarget } from '../support/http-target.js'
import { runJest } from '../support/jest-cli.js'
import { startPidCountingTarget, waitForNoLocalClusterProcesses } from '../support/local-cluster.js'
import { fixturesDir, repoRoot } from '../support/vitest-cli.js'

let target: HttpTarget
let scratch: string
let requestsByPid: Map<number, number>

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist/plugin/jest/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before the e2e tests')
  ;({ target, requestsByPid } = await startPidCountingTarget())
  scratch = mkdtempSync(join(tmpdir(), 'loadspec-jest-local-cluster-'))
})

afterAll(async () => {
  await target.close()
  rmSync(scratch, { recursive: true, force: true })
})

test('jest with localCluster: { agents: 2 } runs the load test on two agent processes and leaves none behind', async () => {
  const out = join(scratch, 'run.jsonl')
  let jestPid = 0
  const run = await runJest([], {
    cwd: join(fixturesDir, 'jest-local-cluster'),
    env: { FIXTURE_TARGET_URL: target.url, FIXTURE_OUT: out },
    timeoutMs: 90_000,
    onSpawn: (pid) => (jestPid = pid),
  })
  expect(run.exitCode, run.output).toBe(0)
  expect(run.output).toMatch(/local cluster: nats 127\.0\.0\.1:\d+, coordinator, 2 agents, ready in \d+ ms/)
  const record = JSON.parse(readFileSync(out, 'utf8').trim()) as { workerPid: number; nodes: { nodeType: string; pid: number }[]; okCount: number }
  const agentPids = record.nodes.filter((node) => node.nodeType === 'Agent').map((node) => node.pid)
  expect(new Set(agentPids).size).toBe(2)
  expect(agentPids).not.toContain(record.workerPid)
  expect(agentPids).not.toContain(jestPid)
  // The target's own log: the whole load shape (25 iterations) from each agent.
  expect(Object.fromEntries(requestsByPid)).toEqual(Object.fromEntries(agentPids.map((pid) => [pid, 25])))
  expect(record.okCount).toBe(50)
  // Jest runs no teardown of ours: its exit handler signals the children, which are gone within 2 s.
  expect(await waitForNoLocalClusterProcesses(jestPid, 2000)).toEqual([])
})
