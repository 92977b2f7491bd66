/**
 * toMatchLoadBaseline as a user meets it: `vitest run` of a copy of the
 * vitest-baseline fixture (it writes __load_baselines__/ next to its test
 * file), against a real HTTP server whose delay each run sets. The steps are
 * those of jest-baseline.test.ts (test/support/baseline-lifecycle.ts).
 */
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, test } from 'vitest'
import { checkBaselineLifecycle } from '../support/baseline-lifecycle.js'
import { copyExample } from '../support/example-copy.js'
import { fixturesDir, repoRoot, runVitest } from '../support/vitest-cli.js'

let project = ''

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist/plugin/vitest.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before the e2e tests')
  project = copyExample(join(fixturesDir, 'vitest-baseline'), ['vitest'])
})
afterAll(() => rmSync(project, { recursive: true, force: true }))

/**
 * A developer's machine, even when this suite itself runs in CI: Vitest writes no new snapshot (so no
 * new baseline) when it detects CI, from `CI` or from a provider's own variables (GITHUB_ACTIONS, …)
 * that this test cannot list, so it is told 'new' (its UPDATE_SNAPSHOT; `-u` still means 'all').
 */
const DEVELOPER_MACHINE = { CI: '', UPDATE_SNAPSHOT: 'new' }
const CI_MACHINE = { CI: 'true', UPDATE_SNAPSHOT: '' }

test('the first run writes the baseline, the same service passes, a 2× slower one fails naming p99, -u rewrites, a renamed test leaves an obsolete entry that -u removes unless tests were filtered out, CI without a baseline fails', async () => {
  const run = (delayMs: number, args: readonly string[], env: Record<string, string>) =>
    runVitest(args, { cwd: project, json: true, env: { TARGET_DELAY_MS: String(delayMs), ...env }, timeoutMs: 60_000 })
  await checkBaselineLifecycle({
    project,
    name: 'vitest-baseline',
    run: (delayMs, args = []) => run(delayMs, args, DEVELOPER_MACHINE),
    runInCi: (delayMs) => run(delayMs, [], CI_MACHINE),
    update: ['-u'],
    filteredStatus: 'skipped',
  })
}, 200_000)
