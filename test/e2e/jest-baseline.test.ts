/**
 * toMatchLoadBaseline as a Jest user meets it: `jest` (ESM through ts-jest,
 * `node --experimental-vm-modules`) on a copy of the jest-baseline fixture
 * (it writes __load_baselines__/ next to its test file), against a real HTTP
 * server whose delay each run sets. The steps are those of
 * vitest-baseline.test.ts (test/support/baseline-lifecycle.ts).
 */
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { checkBaselineLifecycle } from '../support/baseline-lifecycle.js'
import { copyExample } from '../support/example-copy.js'
import { repoJest, runJest } from '../support/jest-cli.js'
import { fixturesDir, repoRoot, runProcess } from '../support/vitest-cli.js'

let project = ''

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist/plugin/jest/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before the e2e tests')
  project = copyExample(join(fixturesDir, 'jest-baseline'), ['jest', 'ts-jest', 'typescript', '@jest', '@types'])
})
afterAll(() => rmSync(project, { recursive: true, force: true }))

/**
 * A developer's machine: Jest writes no new snapshot (so no new baseline) when its `ci` option is on, and
 * that defaults to Jest's CI detection (`CI`, or a provider's own variables this test cannot list).
 * `--ci=false` after runJest's own `--ci` (the last one wins) turns it off whatever the environment says;
 * `CI=true` makes every machine, this suite's CI or not, take that path. A CI run is runJest's `--ci`
 * alone, with no CI in the environment: the flag is what Jest goes by.
 */
const DEVELOPER_MACHINE = { args: ['--ci=false'], env: { CI: 'true' } }
const CI_MACHINE = { args: [], env: { CI: '' } }

test('jest: the first run writes the baseline, the same service passes, a 2× slower one fails naming p99, -u rewrites, a renamed test leaves an obsolete entry that -u removes unless tests were filtered out, --ci without a baseline fails', async () => {
  const run = (delayMs: number, args: readonly string[], machine: typeof DEVELOPER_MACHINE) =>
    runJest([...machine.args, ...args], { cwd: project, json: true, env: { TARGET_DELAY_MS: String(delayMs), ...machine.env }, timeoutMs: 60_000 })
  await checkBaselineLifecycle({
    project,
    name: 'jest-baseline',
    run: (delayMs, args = []) => run(delayMs, args, DEVELOPER_MACHINE),
    runInCi: (delayMs) => run(delayMs, [], CI_MACHINE),
    update: ['--updateSnapshot'],
    filteredStatus: 'pending',
  })
}, 200_000)

test("jest's ci follows CI in the environment (no new snapshot, so no new baseline) unless --ci=false comes after it; -u writes even in CI", async () => {
  const config = async (args: readonly string[]) => {
    const shown = await runProcess(['--experimental-vm-modules', repoJest, '--showConfig', '--watchman=false', ...args], { cwd: project, env: { CI: 'true' } })
    const { ci, updateSnapshot } = (JSON.parse(shown.stdout) as { globalConfig: { ci: boolean; updateSnapshot: string } }).globalConfig
    return { ci, updateSnapshot }
  }
  // No flag: Jest's CI detection decides. What the developer-machine runs above pass wins over it.
  expect(await config([])).toEqual({ ci: true, updateSnapshot: 'none' })
  expect(await config(['--ci', '--ci=false'])).toEqual({ ci: false, updateSnapshot: 'new' })
  expect(await config(['--ci', '-u'])).toEqual({ ci: true, updateSnapshot: 'all' })
})
