/**
 * Budgets beyond one run's totals, as a user meets them: `vitest run` of a
 * fixture project whose scenarios load a real HTTP server (started by the
 * fixture's global setup) that is slow for its first 2 s.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { runJest } from '../support/jest-cli.js'
import { fixturesDir, repoRoot, runVitest, testsByTitle, type VitestRun } from '../support/vitest-cli.js'

const budgets = join(fixturesDir, 'vitest-budgets')

let single: VitestRun
let cluster: VitestRun
beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist/plugin/vitest.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before the e2e tests')
  // One after the other: the window test measures latency, which a run beside it would disturb.
  single = await runVitest([], { cwd: budgets, json: true, timeoutMs: 90_000 })
  cluster = await runVitest(['--config', 'vitest.cluster.config.ts'], { cwd: budgets, json: true, timeoutMs: 90_000 })
}, 200_000)

const ABORTED = 'a service failing every request is aborted once 2 s have passed'

/** The aborted test's failure and its figures, from the JSON reporter. */
function abortedTest(run: VitestRun) {
  const test = testsByTitle(run.report).get(ABORTED)
  const meta = test?.meta['loadspec'] as { durationMs: number; nodeCount: number; scenarios: { failCount: number; okCount: number }[] } | undefined
  return { status: test?.status, message: test?.failureMessages.join('\n') ?? '', meta }
}

describe('result.window', () => {
  test('the steady state after a slow start passes a p99 budget that the whole run fails', async () => {
    const title = 'after a slow start, p99 holds under 10 ms from 3 s on'
    let windowed = testsByTitle(single.report).get(title)
    // On a shared 2-core machine at a load average of 7 (or beside the suite's own type check), other
    // processes preempted the generator for more than 8 ms on over 1 % of requests (a steady-state
    // p99 of 10.9 and 22.4 ms where a quiet run reads ~3 ms): a p99 over the budget, and only that,
    // earns the file up to two more runs.
    for (let rerun = 0; rerun < 2 && windowed?.status === 'failed' && /"phased" to have p99 latency below 10 ms, but its p99 latency is/.test(windowed.failureMessages.join('\n')); rerun++) {
      windowed = testsByTitle((await runVitest(['window'], { cwd: budgets, json: true, timeoutMs: 60_000 })).report).get(title)
    }
    expect(windowed?.status, windowed?.failureMessages.join('\n')).toBe('passed')
  }, 90_000)
})

describe('abortOnFail', () => {
  test('a scenario failing every request under inject(50, 1, 20) stops once abortDelay has passed, with the reason, the time and the stats', () => {
    const { status, message, meta } = abortedTest(single)
    expect(status, single.output).toBe('failed')
    expect(message).toMatch(/loadScenario "a service failing every request is aborted once 2 s have passed" aborted [2-4]\.\d s into a 20 s plan: its abortOnFail check failed\./)
    // The check's own message (a window of the live result), then the figures kept.
    expect(message).toMatch(/expected scenario "failing" to have a fail rate below 0\.5 \(50 %\), but it is 1 \(100 %\)/)
    expect(message).toMatch(/The load was stopped and what was measured until then is kept:\n\nscenario "failing": \d+ requests in [\d.]+ (s|ms)/)
    // Under 5 s of load at 50/s, where the plan would have sent 1000 requests.
    expect(meta?.durationMs).toBeLessThan(5000)
    expect(meta?.scenarios[0]?.failCount).toBeGreaterThan(0)
    expect(meta?.scenarios[0]?.failCount).toBeLessThan(250)
  })

  test('a live check that holds lets the run go to its end', () => {
    // The window test's abortOnFail reads live.window(0) and uses .not; it never throws, so the run went to its end.
    const windowed = testsByTitle(single.report).get('after a slow start, p99 holds under 10 ms from 3 s on')
    expect(windowed?.failureMessages.join('\n')).not.toContain('aborted')
    expect((windowed?.meta['loadspec'] as { durationMs: number } | undefined)?.durationMs).toBeGreaterThanOrEqual(4900)
  })

  test('on an in-process dev cluster the merged live result aborts every node', () => {
    const { status, message, meta } = abortedTest(cluster)
    expect(status, cluster.output).toBe('failed')
    expect(message).toMatch(/aborted [2-4]\.\d s into a 20 s plan: its abortOnFail check failed\./)
    expect(meta?.nodeCount).toBe(3)
    expect(meta?.durationMs).toBeLessThan(5000)
    // Both agents ran the load and both stopped: under 5 s of 50/s each.
    expect(meta?.scenarios[0]?.failCount).toBeGreaterThan(100)
    expect(meta?.scenarios[0]?.failCount).toBeLessThan(500)
  })
})

describe('toHaveHealthyLoadGenerator', () => {
  test('a handler that blocks the event loop 30 ms per iteration at 100/s fails it, naming the node and the figure; the result warns', () => {
    const blocking = testsByTitle(single.report).get('a handler blocking the loop 30 ms per iteration at 100/s saturates the generator')
    expect(blocking?.status, single.output).toBe('failed')
    const message = blocking?.failureMessages.join('\n') ?? ''
    expect(message).toMatch(/expected every node's load generator to be healthy, but node \S+ was saturated: event-loop delay p99 \d+\.\d ms \(limit 50 ms\)/)
    expect(message).toMatch(/\(Single\): CPU \d+ % of a core · event-loop delay p99 [\d.]+ ms, max [\d.]+ ms · start lag p99 [\d.]+ ms/)
    expect(single.stdout).toMatch(/load generator saturated on node \S+: event-loop delay p99 \d+\.\d ms \(limit 50 ms\)/)
  })

  test('a light scenario passes it', () => {
    expect(testsByTitle(single.report).get('a light scenario leaves the generator healthy')?.status, single.output).toBe('passed')
  })
})

describe('abortOnFail under Jest', () => {
  test('the same check stops the load and fails the test with the abort, the time and the figures kept', async () => {
    const run = await runJest(['abort'], { cwd: join(fixturesDir, 'jest-basic'), json: true })
    const test = testsByTitle(run.report).get(ABORTED)
    expect(test?.status, run.output).toBe('failed')
    const message = test?.failureMessages.join('\n') ?? ''
    expect(message).toMatch(/aborted [2-4]\.\d s into a 20 s plan: its abortOnFail check failed\./)
    expect(message).toMatch(/expected scenario "failing" to have a fail rate below 0\.5 \(50 %\), but it is 1 \(100 %\)/)
    // The figures kept: the last stats table of the message, under 5 s of load at 50/s.
    const kept = [...message.matchAll(/scenario "failing": (\d+) requests in ([\d.]+) (s|ms)/g)].at(-1)
    expect(Number(kept?.[1])).toBeLessThan(250)
    expect(Number(kept?.[2]) / (kept?.[3] === 's' ? 1 : 1000)).toBeLessThan(5)
  }, 60_000)
})
