/**
 * Budgets beyond one run's totals, as a user meets them: `vitest run` of a
 * fixture project whose scenarios load a real HTTP server (started by the
 * fixture's global setup) that is slow for its first 2 s.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { fixturesDir, repoRoot, runVitest, testsByTitle, type VitestRun } from '../support/vitest-cli.js'

const budgets = join(fixturesDir, 'vitest-budgets')

let single: VitestRun
beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist/plugin/vitest.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before the e2e tests')
  single = await runVitest([], { cwd: budgets, json: true, timeoutMs: 90_000 })
}, 100_000)

describe('result.window', () => {
  test('the steady state after a slow start passes a p99 budget that the whole run fails', () => {
    const windowed = testsByTitle(single.report).get('after a slow start, p99 holds under 10 ms from 3 s on')
    expect(windowed?.status, single.output).toBe('passed')
  })
})
