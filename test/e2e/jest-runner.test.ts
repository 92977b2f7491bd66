/**
 * loadspec/jest as a user meets it: `jest` (30, test files as ES modules
 * through ts-jest) in a child process on fixture projects whose global setup
 * calls loadspec's and whose scenarios load a real HTTP server on 127.0.0.1.
 * The fixtures import `loadspec/jest`, `loadspec/jest/setup` and
 * `loadspec/jest/global-setup` by the package's name, which resolves to dist/
 * through package.json "exports" (`npm test` builds first).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runJest, type JestRun } from '../support/jest-cli.js'
import { fixturesDir, repoRoot, testsByTitle } from '../support/vitest-cli.js'

const basic = join(fixturesDir, 'jest-basic')

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist/plugin/jest/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before the e2e tests')
  const exported = Object.keys((JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { exports: object }).exports)
  const missing = ['./jest', './jest/setup', './jest/global-setup', './matchers/jest'].filter((entry) => !exported.includes(entry))
  if (missing.length > 0) throw new Error(`package.json "exports" lacks ${missing.join(', ')}: the Jest fixtures import them by name`)
})

describe('a loadspec fixture run by `jest`', () => {
  test('a budget that holds passes (in more than testTimeout); skip and todo behave; summaries and warnings are in the output', async () => {
    const run = await runJest(['budget-pass'], { cwd: basic, json: true })
    expect(run.exitCode, run.output).toBe(0)

    const tests = testsByTitle(run.report)
    expect(Object.fromEntries([...tests].map(([title, test]) => [title, test.status]))).toEqual({
      'home keeps p99 under 1 s at 50 rps': 'passed',
      'inside describe runs': 'passed',
      skipped: 'pending',
      'not written yet': 'todo',
      'a clean failure is a warning, not a failure': 'passed',
    })
    expect(tests.get('inside describe runs')?.ancestorTitles).toEqual(['modifiers'])
    expect(run.output).not.toContain('THE SKIPPED TEST RAN')
    // The figures of each run, in the test file's console output.
    expect(run.output).toMatch(/loadspec: home: \d+\.\d rps \(all requests\) · ok p50 \d+\.\d\d ms · ok p99 \d+\.\d\d ms · fail 0\.0 % · dropped 0/)
    expect(run.output).toMatch(/loadspec warning: .*could not delete the test data/)
    // The fixture's testTimeout is 500 ms; the 1 s load test ran under the timeout derived from its scenarios.
    expect(run.output).not.toContain('Exceeded timeout')
  })

  describe('failing load tests', () => {
    let run: JestRun
    let reports: string
    beforeAll(async () => {
      reports = mkdtempSync(join(tmpdir(), 'loadspec-jest-reports-'))
      run = await runJest(['budget-fail', 'bad-call', 'nested'], { cwd: basic, json: true, env: { LOADSPEC_REPORT_FOLDER: reports } })
    })
    afterAll(() => rmSync(reports, { recursive: true, force: true }))

    test("one report for the run: index.html names each load test, its file, verdict and failure; each test's files are in its own folder", () => {
      const [runFolder, ...others] = readdirSync(reports)
      expect(others).toEqual([])
      const folder = join(reports, runFolder ?? '')
      const testFolders = readdirSync(folder).filter((name) => name !== 'index.html').sort()
      expect(testFolders.map((name) => name.replace(/-[0-9a-f]{8}$/, ''))).toEqual(['endless-finishes-in-time', 'slow-keeps-p99-under-5-ms'])
      const index = readFileSync(join(folder, 'index.html'), 'utf8')
      expect(index).toContain('2 load tests · 0 passed · 2 failed')
      for (const name of ['slow keeps p99 under 5 ms', 'endless finishes in time']) expect(index).toContain(`>${name}</a>`)
      expect(index).toContain('budget-fail.load.test.ts')
      expect(index).toMatch(/<pre class="failure">expected scenario &quot;slow&quot; to have p99 latency below 5 ms, but its p99 latency is \d+\.\d\d ms/)
      expect(index).toContain('LoadScenarioTimeoutError: loadScenario &quot;endless finishes in time&quot; timed out after 300 ms')
      expect(run.output).toContain(`loadspec: report: ${join(folder, testFolders[1] ?? '', 'loadspec-report.html')} · run: ${join(folder, 'index.html')}`)
    })

    test('a broken budget fails the run with the measured value, the bound and the stats table', () => {
      expect(run.exitCode, run.output).toBe(1)
      expect(testsByTitle(run.report).get('slow keeps p99 under 5 ms')?.status).toBe('failed')
      expect(run.output).toMatch(/expected scenario "slow" to have p99 latency below 5 ms, but its p99 latency is \d+\.\d\d ms/)
      expect(run.output).toMatch(/scenario "slow": 20 requests in 1\.0 s \(20\.0 rps, all requests\), 0 dropped iterations/)
      expect(run.output).toMatch(/count\s+rps\s+share\s+min ms\s+mean ms\s+p50 ms\s+p75 ms\s+p95 ms\s+p99 ms\s+max ms\s+data/)
      expect(run.output).toMatch(/ok\s+20\s+\d+\.\d\s+100\.0 %/)
      expect(run.output).toMatch(/status codes:\s+200\s+ok\s+20\s+100\.0 %/)
      expect(run.output).toMatch(/loadspec: slow: \d+\.\d rps \(all requests\) · ok p50 [\d.]+ ms · ok p99 [\d.]+ ms · fail 0\.0 % · dropped 0/)
    })

    test('a run that outlives its timeout is stopped; the message names the scenario and keeps what was measured', () => {
      expect(run.output).toContain(
        'loadScenario "endless finishes in time" timed out after 300 ms (options.timeout) while running scenario "endless": run 30 iterations with 1 copy.',
      )
      expect(run.output).toMatch(/scenario "endless": \d+ requests in \d+ ms/)
      // Stopped at loadspec's deadline, not when Jest's own timeout (deadline + graceful stop + allowance) fired.
      expect(run.output).not.toContain('Exceeded timeout')
    })

    test('a call loadScenario cannot run fails its file at load time, with the test name and what to do', () => {
      expect(run.output).toContain('loadScenario("one scenario"): scenarios must be a non-empty array of Scenario (wrap it in an array: [quick])')
      expect(run.report?.testResults.find((file) => file.name.endsWith('bad-call.load.test.ts'))?.assertionResults).toEqual([])
    })

    test('loadScenario called inside a running test fails that test with what to do, as Jest refuses nested tests', () => {
      const nested = run.report?.testResults.find((file) => file.name.endsWith('nested.load.test.ts'))
      expect(nested?.assertionResults.map((test) => [test.title, test.status])).toEqual([['registers a load test while it runs', 'failed']])
      expect(nested?.assertionResults[0]?.failureMessages.join('\n')).toContain(
        'loadScenario("registered too late") was called while Jest runs the file\'s tests (in or after the test "registers a load test while it runs"): ' +
          "Jest collects a file's tests before it runs any, so a load test registered now would never run. " +
          'Call loadScenario at the top level of the test file or inside describe().',
      )
    })
  })

  test('.only runs only the chosen load test of the file', async () => {
    const run = await runJest(['only'], { cwd: basic, json: true })
    expect(run.exitCode, run.output).toBe(0)
    const tests = testsByTitle(run.report)
    expect(tests.get('the only one')?.status).toBe('passed')
    expect(tests.get('not chosen')?.status).toBe('pending')
    expect(run.output).not.toContain('THE UNCHOSEN TEST RAN')
  })

  test("the global setup resolves k6's order (CLI > environment > options > file), says what overrode what, and hands the config to the workers, where the Runner uses it", async () => {
    const run = await runJest(['--maxWorkers=2', '--AgentGroup=from-cli', '--AgentsCount=1'], {
      cwd: join(fixturesDir, 'jest-config'),
      env: { LOADSPEC_AGENT_GROUP: 'from-env', LOADSPEC_CLUSTER_ID: 'from-env' },
      json: true,
    })
    expect(run.exitCode, run.output).toBe(0)
    expect([...testsByTitle(run.report).values()].map((test) => test.status)).toEqual(['passed', 'passed'])
    expect(run.output).toContain('AgentsCount=1 (CLI, overrides Jest option 2)')
    expect(run.output).toContain('ClusterId=from-env (env LOADSPEC_CLUSTER_ID, overrides Jest option from-options, overrides file loadspec.config.json from-file)')
  })

  test('a bad option stops jest before any test, naming the key and the value', async () => {
    const run = await runJest([], { cwd: join(fixturesDir, 'jest-bad-option') })
    expect(run.exitCode).not.toBe(0)
    expect(run.output).toContain('Invalid loadspec configuration (1 problem)')
    expect(run.output).toContain('AgentsCount must be a positive integer, got "three" (from builder/plugin option agentsCount)')
    expect(run.output).not.toContain('THIS TEST RAN')
  })

  test('a bad value from the environment stops jest before any test too', async () => {
    const run = await runJest(['budget-pass'], { cwd: basic, env: { LOADSPEC_NODE_TYPE: 'Leader' } })
    expect(run.exitCode).not.toBe(0)
    expect(run.output).toMatch(/NodeType must be one of "Single", "Coordinator", "Agent".*got "Leader".*LOADSPEC_NODE_TYPE/)
    expect(run.output).not.toMatch(/✓ home keeps p99/)
  })
})
