/**
 * toMatchLoadBaseline as a user meets it: `vitest run` of a copy of the
 * vitest-baseline fixture (it writes __load_baselines__/ next to its test
 * file), against a real HTTP server whose delay each run sets.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { copyExample } from '../support/example-copy.js'
import { fixturesDir, repoRoot, runVitest, testsByTitle, type VitestRun } from '../support/vitest-cli.js'

const TITLE = 'checkout matches its baseline'
const RENAMED = 'checkout still matches its baseline'
let project = ''
let baselineFile = ''

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist/plugin/vitest.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before the e2e tests')
  project = copyExample(join(fixturesDir, 'vitest-baseline'), ['vitest'])
  baselineFile = join(project, '__load_baselines__/checkout.load.test.ts.json')
})
afterAll(() => rmSync(project, { recursive: true, force: true }))

/**
 * A developer's machine, even when this suite itself runs in CI: Vitest writes no new snapshot (so no
 * new baseline) when it detects CI, from `CI` or from a provider's own variables (GITHUB_ACTIONS, …)
 * that this test cannot list, so it is told 'new' (its UPDATE_SNAPSHOT; `-u` still means 'all').
 */
const DEVELOPER_MACHINE = { CI: '', UPDATE_SNAPSHOT: 'new' }
const CI_MACHINE = { CI: 'true', UPDATE_SNAPSHOT: '' }

function run(delayMs: number, args: string[] = [], env: Record<string, string> = DEVELOPER_MACHINE): Promise<VitestRun> {
  return runVitest(args, { cwd: project, json: true, env: { TARGET_DELAY_MS: String(delayMs), ...env }, timeoutMs: 60_000 })
}

/**
 * The same service twice must match, but on a shared 2-core machine at a load average of 7 another
 * process can stall the generator for tens of ms (a p99 of 58 ms against 29 ms was seen at 20 ms): a run
 * whose only failure is a latency regression is run again, at most twice.
 */
async function runSameService(delayMs: number): Promise<VitestRun> {
  let attempt = await run(delayMs)
  for (let rerun = 0; rerun < 2 && /regressed against its load baseline[\s\S]*ok p\d\d /.test(testsByTitle(attempt.report).get(TITLE)?.failureMessages.join('\n') ?? ''); rerun++) {
    console.warn(`[vitest-baseline] same service read as a latency regression (busy machine?), run again (${rerun + 1}/2)`)
    attempt = await run(delayMs)
  }
  return attempt
}

function storedTestNames(): string[] {
  return Object.keys((JSON.parse(readFileSync(baselineFile, 'utf8')) as { tests: Record<string, unknown> }).tests)
}

function storedP99(): number {
  const file = JSON.parse(readFileSync(baselineFile, 'utf8')) as { tests: Record<string, Record<string, { p99Ms: number }>> }
  return file.tests[TITLE]?.['checkout']?.p99Ms ?? Number.NaN
}

test('the first run writes the baseline, the same service passes, a 2× slower one fails naming p99, -u rewrites, a renamed test leaves an obsolete entry that -u removes unless tests were filtered out, CI without a baseline fails', async () => {
  let first = await run(100)
  // A first run stalled by another process would make a baseline no slower service could break: write it again.
  for (let rerun = 0; rerun < 3 && storedP99() > 150; rerun++) first = await run(100, ['-u'])
  expect(testsByTitle(first.report).get(TITLE)?.status, first.output).toBe('passed')
  const written = readFileSync(baselineFile, 'utf8')
  expect(written).toMatch(/^\{\n {2}"tests": \{\n {4}"checkout matches its baseline": \{\n {6}"checkout": \{\n {8}"failCount": 0,/)
  expect(written.endsWith('}\n')).toBe(true)
  const firstP99 = storedP99()
  expect(firstP99).toBeGreaterThanOrEqual(100)

  const same = await runSameService(100)
  expect(testsByTitle(same.report).get(TITLE)?.status, same.output).toBe('passed')
  // Compared, not rewritten.
  expect(readFileSync(baselineFile, 'utf8')).toBe(written)

  const slower = await run(200)
  const failed = testsByTitle(slower.report).get(TITLE)
  expect(failed?.status, slower.output).toBe('failed')
  const message = failed?.failureMessages.join('\n') ?? ''
  expect(message).toContain(`scenario "checkout" regressed against its load baseline (__load_baselines__/checkout.load.test.ts.json, "${TITLE}"):`)
  expect(message).toMatch(new RegExp(`ok p99 \\d+\\.\\d\\d ms, baseline ${firstP99.toFixed(2)} ms \\(\\+\\d+\\.\\d %, tolerance \\+50 % and at least \\+1 ms\\)`))
  expect(message).toContain('If the change is intended, update the baseline with -u')

  const updated = await run(200, ['-u'])
  expect(testsByTitle(updated.report).get(TITLE)?.status, updated.output).toBe('passed')
  expect(storedP99()).toBeGreaterThanOrEqual(200)

  // A renamed test: its old entry is reported like an obsolete snapshot, and the new name gets its own.
  const testFile = join(project, 'checkout.load.test.ts')
  writeFileSync(testFile, readFileSync(testFile, 'utf8').replace(`'${TITLE}'`, `'${RENAMED}'`))
  const renamed = await run(200)
  expect(testsByTitle(renamed.report).get(RENAMED)?.status, renamed.output).toBe('passed')
  expect(renamed.output).toContain(`loadspec: 1 obsolete load baseline in ${baselineFile}: "${TITLE}" (no test checked them in this run; delete them from the file if their tests are gone)`)
  expect(storedTestNames()).toEqual([TITLE, RENAMED].sort())

  // -u with a filter that leaves the load test out: every entry looks unused, and none is removed.
  const filtered = await run(200, ['-u', '-t', 'the target answers'])
  expect(testsByTitle(filtered.report).get(RENAMED)?.status, filtered.output).toBe('skipped')
  expect(filtered.output).toContain(
    `loadspec: 2 obsolete load baselines in ${baselineFile}: "${TITLE}", "${RENAMED}" (no test checked them in this run; -u left them, as not every test of this file ran and passed)`,
  )
  expect(storedTestNames()).toEqual([TITLE, RENAMED].sort())

  // -u with every test run removes the old name, as it removes obsolete snapshots, and says so.
  const cleaned = await run(200, ['-u'])
  expect(testsByTitle(cleaned.report).get(RENAMED)?.status, cleaned.output).toBe('passed')
  expect(cleaned.output).toContain(`loadspec: -u removed 1 obsolete load baseline from ${baselineFile}: "${TITLE}"\n`)
  expect(storedTestNames()).toEqual([RENAMED])

  rmSync(join(project, '__load_baselines__'), { recursive: true })
  const ci = await run(100, [], CI_MACHINE)
  const missing = testsByTitle(ci.report).get(RENAMED)
  expect(missing?.status, ci.output).toBe('failed')
  expect(missing?.failureMessages.join('\n')).toContain(
    `no load baseline for "${RENAMED}" (scenario "checkout") in __load_baselines__/checkout.load.test.ts.json, and none is written in CI. ` +
      'Run the test once without CI set (or with -u / --updateSnapshot) and commit the file.',
  )
  expect(existsSync(baselineFile)).toBe(false)
}, 200_000)
