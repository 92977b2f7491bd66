/**
 * `vitest run` of a fixture project whose plugin sets enableLocalDevCluster:
 * every loadScenario runs a coordinator and two agents in the test's own
 * process (the same code as over NATS, an in-memory bus instead), and the
 * matchers see the merged result.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, expect, test } from 'vitest'
import { fixturesDir, repoRoot, runVitest, testsByTitle, type VitestRun } from '../support/vitest-cli.js'

let run: VitestRun
beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist/plugin/vitest.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before the e2e tests')
  run = await runVitest([], { cwd: join(fixturesDir, 'vitest-cluster-local'), json: true, timeoutMs: 60_000 })
})

test('a budget that holds passes, with both in-process agents in the merged figures', () => {
  const passing = testsByTitle(run.report).get('checkout on a local dev cluster keeps p99 under 50 ms')
  expect(passing?.status, run.output).toBe('passed')
  expect(passing?.meta['loadspec']).toMatchObject({ nodeCount: 3, incomplete: false, scenarios: [{ name: 'checkout', okCount: 100, failCount: 0 }] })
  expect(run.stdout).toMatch(/↳ checkout: [\d.]+ rps \(all requests\) · ok p50 [\d.]+ ms · ok p99 [\d.]+ ms · fail 0\.0 % · dropped 0 · 3 nodes/)
  // No agent check: nothing to wait for outside this process.
  expect(run.stdout).not.toContain('answered:')
})

test('a broken budget fails with the merged figures of both agents', () => {
  const failing = testsByTitle(run.report).get('checkout on a local dev cluster keeps p99 under 5 ms')
  expect(failing?.status, run.output).toBe('failed')
  expect(run.exitCode).toBe(1)
  const message = failing?.failureMessages.join('\n') ?? ''
  expect(message).toMatch(/expected scenario "checkout" to have p99 latency below 5 ms, but its p99 latency is 8\.\d\d ms/)
  expect(message).toMatch(/scenario "checkout": 100 requests in /)
  expect(message).toMatch(/local\/p0of2\s+ok\s+50\s+50\.0 %/)
  expect(message).toMatch(/local\/p1of2\s+ok\s+50\s+50\.0 %/)
})
