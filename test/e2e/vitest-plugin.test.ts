/**
 * The plugin as a user meets it: `vitest run` in a child process on fixture
 * projects whose vitest.config.ts uses `loadspec()` and whose scenarios load
 * a real HTTP server started by the fixture's own global setup. The fixtures
 * import `loadspec/plugin` and `loadspec/vitest` by the package's name,
 * which resolves to dist/ through package.json "exports" (`npm test` builds
 * first).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { fixturesDir, repoRoot, runVitest, testsByTitle, type VitestRun } from '../support/vitest-cli.js'

const basic = join(fixturesDir, 'vitest-basic')

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist/plugin/vitest.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before the e2e tests')
})

describe('a loadspec fixture run by `vitest run`', () => {
  test('a budget that holds passes; skip, todo, skipIf and runIf behave; figures reach the reporters', async () => {
    const run = await runVitest(['budget-pass'], { cwd: basic, json: true })
    expect(run.exitCode, run.output).toBe(0)

    const tests = testsByTitle(run.report)
    expect(Object.fromEntries([...tests].map(([title, test]) => [title, test.status]))).toEqual({
      'home keeps p99 under 1 s at 50 rps': 'passed',
      'inside describe runs': 'passed',
      skipped: 'skipped',
      'not written yet': 'todo',
      'skipped by skipIf': 'skipped',
      'skipped by runIf': 'skipped',
      'run by runIf': 'passed',
    })
    expect(tests.get('inside describe runs')?.ancestorTitles).toEqual(['modifiers'])

    // task.meta.loadspec in the JSON reporter's file
    expect(tests.get('home keeps p99 under 1 s at 50 rps')?.meta['loadspec']).toMatchObject({
      nodeCount: 1,
      incomplete: false,
      // inject(50, 1, 1): 50 requests over its 1 s plan, exactly.
      scenarios: [{ name: 'home', okCount: 50, failCount: 0, failRate: 0, allRequestRps: 50, okRps: 50, droppedIterations: 0, latencyMs: { p99: expect.any(Number) } }],
    })
    // The annotation, as the verbose reporter prints it under the test.
    expect(run.stdout).toMatch(/loadspec\s*\n\s*↳ home: \d+\.\d rps \(all requests\) · ok p50 \d+\.\d\d ms · ok p99 \d+\.\d\d ms · fail 0\.0 % · dropped 0/)
  })

  describe('failing load tests', () => {
    let run: VitestRun
    beforeAll(async () => {
      run = await runVitest(['budget-fail'], { cwd: basic })
    })

    test('a broken budget fails the run with the measured value, the bound and the stats table', () => {
      expect(run.exitCode, run.output).toBe(1)
      expect(run.output).toMatch(/expected scenario "slow" to have p99 latency below 5 ms, but its p99 latency is \d+\.\d\d ms/)
      // The table under the message: headline, columns, the ok row, status codes.
      expect(run.output).toMatch(/scenario "slow": 20 requests in 1\.0 s \(20\.0 rps, all requests\), 0 dropped iterations/)
      expect(run.output).toMatch(/count\s+rps\s+share\s+min ms\s+mean ms\s+p50 ms\s+p75 ms\s+p95 ms\s+p99 ms\s+max ms\s+data/)
      expect(run.output).toMatch(/ok\s+20\s+\d+\.\d\s+100\.0 %/)
      expect(run.output).toMatch(/status codes:\s+200\s+ok\s+20\s+100\.0 %/)
      // The default reporters show a failed test's annotation too.
      expect(run.output).toMatch(/↳ slow: \d+\.\d rps \(all requests\) · ok p50 [\d.]+ ms · ok p99 [\d.]+ ms · fail 0\.0 % · dropped 0/)
    })

    test('a run that outlives its timeout is stopped; the message names the scenario and keeps what was measured', () => {
      expect(run.output).toContain(
        'loadScenario "endless finishes in time" timed out after 300 ms (options.timeout) while running scenario "endless": run 30 iterations with 1 copy.',
      )
      expect(run.output).toMatch(/scenario "endless": \d+ requests in \d+ ms/)
      // Stopped at the deadline, not when Vitest's own timeout (deadline + graceful stop + allowance) fired.
      expect(run.output).not.toContain('Test timed out')
    })
  })

  test('without an assert a failed request fails the test unless allowFailures; no load simulation and a 33-minute plan are warned about', async () => {
    const run = await runVitest(['sanity'], { cwd: basic, json: true })
    expect(run.exitCode, run.output).toBe(1)
    const tests = testsByTitle(run.report)
    expect(Object.fromEntries([...tests].map(([title, test]) => [title, test.status]))).toEqual({
      'no assert, every request fails': 'failed',
      'no assert, failures allowed': 'passed',
      'no load simulation': 'passed',
      'a 33-minute plan': 'skipped',
    })
    expect(run.output).toContain('LoadScenarioFailedRequestsError: loadScenario "no assert, every request fails" has no assert, and 4 of 4 requests failed (100.0 %), so it fails.')
    expect(run.output).toContain('or pass { allowFailures: true } as loadScenario\'s fourth argument')
    expect(run.output).toContain('scenario "once" has no load simulation, so it runs one iteration')
    expect(run.output).toContain(
      'loadspec warning: loadScenario("a 33-minute plan"): scenario "long": its load plan lasts 33m20s (inject 10 per 1s for 33m20s). Durations given as numbers are seconds: 2000 is 33m20s; for milliseconds write \'2000ms\'',
    )
  })

  test('.only runs only the chosen load test of the file', async () => {
    const run = await runVitest(['only', '--allowOnly'], { cwd: basic, json: true })
    expect(run.exitCode, run.output).toBe(0)
    const tests = testsByTitle(run.report)
    expect(tests.get('the only one')?.status).toBe('passed')
    expect(tests.get('not chosen')?.status).toBe('skipped')
  })

  test("loadScenario is guarded like test: refused inside a running test, .fails inverts, one at a time under sequence.concurrent, Vitest's other members refused", async () => {
    const run = await runVitest(['collector', 'refused', '--sequence.concurrent'], { cwd: basic, json: true })
    expect(run.exitCode, run.output).toBe(1)
    const tests = testsByTitle(run.report)
    expect(Object.fromEntries([...tests].map(([title, test]) => [title, test.status]))).toEqual({
      'registers a load test while it runs': 'failed',
      'a budget that must break breaks': 'passed',
      'a budget that holds fails under .fails': 'failed',
      'a plain one': 'passed',
      // Init/clean hooks counted the load tests running at once: never more than one.
      'the load tests ran one at a time': 'passed',
    })
    expect(tests.get('registers a load test while it runs')?.failureMessages.join('\n')).toContain(
      'loadScenario("registered too late") was called inside the running test "registers a load test while it runs": ' +
        "Vitest collects a file's tests before it runs any, so a load test registered now would never run. " +
        'Call loadScenario at the top level of the test file or inside describe().',
    )
    expect(tests.get('a budget that holds fails under .fails')?.failureMessages.join('\n')).toContain('Expect test to fail')
    // The refused member fails its file as it is collected: no test of it ran.
    expect(run.output).toContain('TypeError: loadScenario.each is not supported: write a loop instead: for (const rate of [10, 50]) loadScenario(')
    expect(run.report?.testResults.find((file) => file.name.endsWith('refused.load.test.ts'))?.assertionResults).toEqual([])
  })

  test("the global setup provides the config resolved in k6's order (CLI > environment > plugin options > file), says what overrode what, and the Runner uses it", async () => {
    // CLI keys go after `--`: Vitest rejects options it does not know.
    const run = await runVitest(['--', '--AgentGroup=from-cli', '--AgentsCount=1'], {
      cwd: join(fixturesDir, 'vitest-config'),
      env: { LOADSPEC_AGENT_GROUP: 'from-env', LOADSPEC_CLUSTER_ID: 'from-env' },
      json: true,
    })
    expect(run.exitCode, run.output).toBe(0)
    expect([...testsByTitle(run.report).values()].map((test) => test.status)).toEqual(['passed', 'passed'])
    // One line, printed once by the global setup, naming each override.
    const lines = run.stdout.split('\n').filter((line) => line.startsWith('loadspec config: '))
    expect(lines).toHaveLength(1)
    const line = lines[0] ?? ''
    expect(line).toContain('AgentsCount=1 (CLI, overrides plugin option 2)')
    expect(line).toContain('AgentGroup=from-cli (CLI, overrides env LOADSPEC_AGENT_GROUP from-env, overrides plugin option from-plugin, overrides file loadspec.config.json from-file)')
    expect(line).toContain('ClusterId=from-env (env LOADSPEC_CLUSTER_ID, overrides plugin option from-plugin, overrides file loadspec.config.json from-file)')
    expect(line).toContain('TargetScenarios=wanted (plugin option, overrides file loadspec.config.json unwanted)')
    expect(line).toContain('ClusterCommandTimeoutMs=4321 (file loadspec.config.json)')
  })

  test('a bad plugin option stops vitest at start-up, naming the key and the value', async () => {
    const run = await runVitest([], { cwd: join(fixturesDir, 'vitest-bad-option') })
    expect(run.exitCode).not.toBe(0)
    expect(run.output).toContain('Invalid loadspec configuration (1 problem)')
    expect(run.output).toContain('AgentsCount must be a positive integer, got "three" (from builder/plugin option agentsCount)')
    expect(run.output).not.toContain('THIS TEST RAN')
  })

  test('a bad value from the environment stops vitest before any test too', async () => {
    const run = await runVitest(['budget-pass'], { cwd: basic, env: { LOADSPEC_NODE_TYPE: 'Leader' } })
    expect(run.exitCode).not.toBe(0)
    expect(run.output).toMatch(/NodeType must be one of "Single", "Coordinator", "Agent".*got "Leader".*LOADSPEC_NODE_TYPE/)
    expect(run.output).not.toMatch(/✓ .*home keeps p99/)
  })
})
