/**
 * The life of a load baseline as a user meets it, the same steps for Vitest
 * and Jest (test/e2e/vitest-baseline.test.ts, jest-baseline.test.ts): a
 * fixture project whose `checkout.load.test.ts` holds the load test TITLE
 * (`toMatchLoadBaseline({ latency: 0.5, rps: 0.3 })` on a 100 ms service) and
 * a plain test 'the target answers', run against a real HTTP server whose
 * delay each run sets.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { testsByTitle, type JsonReport, type ProcessResult } from './vitest-cli.js'

export const TITLE = 'checkout matches its baseline'
export const RENAMED = 'checkout still matches its baseline'
const PLAIN_TEST = 'the target answers'

export interface FixtureRun extends ProcessResult {
  readonly report: JsonReport | undefined
}

export interface BaselineRunner {
  /** The copy of the fixture project (it is changed: its test is renamed). */
  readonly project: string
  /** For log lines. */
  readonly name: string
  /** One run on a developer's machine (new baselines are written) against a service that answers after `delayMs`. */
  run(delayMs: number, args?: readonly string[]): Promise<FixtureRun>
  /** One run as CI makes it (no new baseline is written). */
  runInCi(delayMs: number): Promise<FixtureRun>
  /** The flags that rewrite snapshots, and the status the JSON report gives a test left out by `-t`. */
  readonly update: readonly string[]
  readonly filteredStatus: 'skipped' | 'pending'
}

/**
 * First run writes (stable JSON), the same service passes, a 2× slower one fails naming ok p99 with
 * baseline and now, -u rewrites; a renamed test leaves an obsolete entry, reported, that -u with a filter
 * keeps and -u alone removes; in CI a missing baseline fails.
 */
export async function checkBaselineLifecycle(runner: BaselineRunner): Promise<void> {
  const baselineFile = join(runner.project, '__load_baselines__/checkout.load.test.ts.json')
  const stored = () => (JSON.parse(readFileSync(baselineFile, 'utf8')) as { tests: Record<string, Record<string, { p99Ms: number }>> }).tests
  const storedP99 = () => stored()[TITLE]?.['checkout']?.p99Ms ?? Number.NaN
  const status = (run: FixtureRun, title: string) => testsByTitle(run.report).get(title)?.status

  let first = await runner.run(100)
  // A first run stalled by another process would make a baseline no slower service could break: write it again.
  for (let rerun = 0; rerun < 3 && storedP99() > 150; rerun++) first = await runner.run(100, runner.update)
  expect(status(first, TITLE), first.output).toBe('passed')
  const written = readFileSync(baselineFile, 'utf8')
  // Stable JSON: keys sorted, two spaces, a final newline; test name → scenario → figures and histogram.
  expect(written).toBe(`${JSON.stringify(JSON.parse(written), null, 2)}\n`)
  expect(written).toMatch(
    /^\{\n {2}"tests": \{\n {4}"checkout matches its baseline": \{\n {6}"checkout": \{\n {8}"failCount": 0,\n {8}"failRate": 0,\n {8}"okCount": \d+,\n {8}"okLatencyHistogram": "HIST[A-Za-z0-9+/=]+",\n {8}"p50Ms": [\d.]+,\n {8}"p95Ms": [\d.]+,\n {8}"p99Ms": [\d.]+,\n {8}"rps": [\d.]+\n {6}\}\n {4}\}\n {2}\},\n {2}"version": 1\n\}\n$/,
  )
  const firstP99 = storedP99()
  expect(firstP99).toBeGreaterThanOrEqual(100)

  const same = await runSameService(runner, 100)
  expect(status(same, TITLE), same.output).toBe('passed')
  // Compared, not rewritten.
  expect(readFileSync(baselineFile, 'utf8')).toBe(written)

  const slower = await runner.run(200)
  expect(status(slower, TITLE), slower.output).toBe('failed')
  const message = testsByTitle(slower.report).get(TITLE)?.failureMessages.join('\n') ?? ''
  expect(message).toContain(`scenario "checkout" regressed against its load baseline (__load_baselines__/checkout.load.test.ts.json, "${TITLE}"):`)
  expect(message).toMatch(new RegExp(`ok p99 \\d+\\.\\d\\d ms, baseline ${firstP99.toFixed(2)} ms \\(\\+\\d+\\.\\d %, tolerance \\+50 % and at least \\+1 ms\\)`))
  expect(message).toContain('If the change is intended, update the baseline with -u')
  expect(readFileSync(baselineFile, 'utf8')).toBe(written)

  const updated = await runner.run(200, runner.update)
  expect(status(updated, TITLE), updated.output).toBe('passed')
  expect(storedP99()).toBeGreaterThanOrEqual(200)

  // A renamed test: its old entry is reported like an obsolete snapshot, and the new name gets its own.
  const testFile = join(runner.project, 'checkout.load.test.ts')
  writeFileSync(testFile, readFileSync(testFile, 'utf8').replace(`'${TITLE}'`, `'${RENAMED}'`))
  const renamed = await runner.run(200)
  expect(status(renamed, RENAMED), renamed.output).toBe('passed')
  expect(renamed.output).toContain(`loadspec: 1 obsolete load baseline in ${baselineFile}: "${TITLE}" (no test checked them in this run; delete them from the file if their tests are gone)`)
  expect(Object.keys(stored())).toEqual([TITLE, RENAMED])

  // -u with a filter that leaves the load test out: every entry looks unused, and none is removed.
  const filtered = await runner.run(200, [...runner.update, '-t', PLAIN_TEST])
  expect(status(filtered, RENAMED), filtered.output).toBe(runner.filteredStatus)
  expect(status(filtered, PLAIN_TEST), filtered.output).toBe('passed')
  expect(filtered.output).toContain(
    `loadspec: 2 obsolete load baselines in ${baselineFile}: "${TITLE}", "${RENAMED}" (no test checked them in this run; -u left them, as not every test of this file ran and passed)`,
  )
  expect(Object.keys(stored())).toEqual([TITLE, RENAMED])

  // -u with every test run removes the old name, as it removes obsolete snapshots, and says so.
  const cleaned = await runner.run(200, runner.update)
  expect(status(cleaned, RENAMED), cleaned.output).toBe('passed')
  expect(cleaned.output).toContain(`loadspec: -u removed 1 obsolete load baseline from ${baselineFile}: "${TITLE}"\n`)
  expect(Object.keys(stored())).toEqual([RENAMED])

  rmSync(join(runner.project, '__load_baselines__'), { recursive: true })
  const ci = await runner.runInCi(100)
  expect(status(ci, RENAMED), ci.output).toBe('failed')
  expect(testsByTitle(ci.report).get(RENAMED)?.failureMessages.join('\n')).toContain(
    `no load baseline for "${RENAMED}" (scenario "checkout") in __load_baselines__/checkout.load.test.ts.json, and none is written in CI. ` +
      'Run the test once without CI set (or with -u / --updateSnapshot) and commit the file.',
  )
  expect(existsSync(baselineFile)).toBe(false)
}

/**
 * The same service twice must match, but on a shared 2-core machine at a load average of 7 another
 * process can stall the generator for tens of ms (a p99 of 58 ms against 29 ms was seen at 20 ms): a run
 * whose only failure is a latency regression is run again, at most twice, and says so.
 */
async function runSameService(runner: BaselineRunner, delayMs: number): Promise<FixtureRun> {
  let attempt = await runner.run(delayMs)
  for (let rerun = 0; rerun < 2 && /regressed against its load baseline[\s\S]*ok p\d\d /.test(testsByTitle(attempt.report).get(TITLE)?.failureMessages.join('\n') ?? ''); rerun++) {
    console.warn(`[${runner.name}] the same service read as a latency regression (a busy machine?): run again (${rerun + 1}/2)`)
    attempt = await runner.run(delayMs)
  }
  return attempt
}
