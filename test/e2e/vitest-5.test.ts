/**
 * The peer range is real: loadspec packed as it would be published, then
 * installed with vitest@5 and node@22 from the npm registry into an empty
 * project, which runs the same fixtures as the Vitest 4 tests and
 * type-checks the Vitest 5 matcher declarations. Skipped, with the reason
 * printed, only when the registry cannot be reached.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test, type TestContext } from 'vitest'
import { resolveFromRegistry, runNpm } from '../support/npm.js'
import { fixturesDir, repoRoot, runProcess, runVitest } from '../support/vitest-cli.js'

const INSTALL_TIMEOUT_MS = 300_000
const RUN_TIMEOUT_MS = 120_000

let unreachable: string | undefined
let project = ''

function skipIfOffline(context: TestContext): void {
  if (unreachable !== undefined) context.skip(`npm registry unreachable, Vitest 5 not installed: ${unreachable}`)
}

function inProject(...path: string[]): string {
  return join(project, ...path)
}

beforeAll(async () => {
  const vitest5 = await resolveFromRegistry('vitest@5')
  if ('unreachable' in vitest5) {
    unreachable = vitest5.unreachable
    console.warn(`[vitest-5.test] SKIPPED: npm registry unreachable: ${unreachable}`)
    return
  }
  project = mkdtempSync(join(tmpdir(), 'loadspec-vitest5-'))
  const pack = await runNpm(['pack', '--json', '--pack-destination', project], repoRoot)
  if (pack.exitCode !== 0) throw new Error(`npm pack failed:\n${pack.output}`)
  const [{ filename }] = JSON.parse(pack.stdout) as [{ filename: string }]

  writeFileSync(inProject('package.json'), JSON.stringify({ name: 'loadspec-vitest5-check', private: true, type: 'module' }, null, 2))
  const install = await runNpm(
    ['install', '--prefix', project, '--no-audit', '--no-fund', '--loglevel=error', `./${filename}`, 'vitest@5', 'node@22', '@types/node@22'],
    project,
    INSTALL_TIMEOUT_MS,
  )
  if (install.exitCode !== 0) throw new Error(`npm install in ${project} failed (exit ${install.exitCode}):\n${install.output}`)

  for (const file of readdirSync(join(fixturesDir, 'vitest-basic')).filter((name) => name.endsWith('.ts'))) {
    copyFileSync(join(fixturesDir, 'vitest-basic', file), inProject(file))
  }
  cpSync(join(fixturesDir, 'vitest-config'), inProject('config-check'), { recursive: true, filter: (source) => !source.includes('load-reports') })
  mkdirSync(inProject('types'))
  copyFileSync(join(fixturesDir, 'vitest-types/types.test-d.ts'), inProject('types/types.test-d.ts'))
}, INSTALL_TIMEOUT_MS + 60_000)

afterAll(() => {
  if (project !== '') rmSync(project, { recursive: true, force: true })
})

/** Vitest 5 from the project, on the project's Node 22 (PATH too, for anything it starts). */
function runVitest5(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  return runVitest(args, {
    cwd: options.cwd ?? project,
    vitest: inProject('node_modules/vitest/vitest.mjs'),
    node: inProject('node_modules/.bin/node'),
    env: { PATH: `${inProject('node_modules/.bin')}:${process.env['PATH'] ?? ''}`, ...options.env },
    timeoutMs: RUN_TIMEOUT_MS,
  })
}

describe('Vitest 5 on Node 22, installed from the npm registry', () => {
  test('the project has Node 22 and Vitest 5', async (context) => {
    skipIfOffline(context)
    const node = await runProcess(['--version'], { cwd: project, command: inProject('node_modules/.bin/node') })
    expect(node.stdout.trim()).toMatch(/^v22\./)
    const vitest = await runProcess([inProject('node_modules/vitest/vitest.mjs'), '--version'], { cwd: project, command: inProject('node_modules/.bin/node') })
    expect(vitest.stdout.trim()).toMatch(/^vitest\/5\.\d+\.\d+/)
  })

  test('a budget that holds passes, with the modifiers and the annotation', async (context) => {
    skipIfOffline(context)
    const run = await runVitest5(['budget-pass'])
    expect(run.exitCode, run.output).toBe(0)
    expect(run.stdout).toMatch(/RUN\s+v5\./)
    expect(run.stdout).toMatch(/Tests\s+3 passed \| 3 skipped \| 1 todo \(7\)/)
    expect(run.stdout).toMatch(/↳ home: \d+\.\d rps \(all requests\) · ok p50 [\d.]+ ms · ok p99 [\d.]+ ms · fail 0\.0 % · dropped 0/)
  }, RUN_TIMEOUT_MS)

  test('a broken budget and a timeout fail the run with their messages', async (context) => {
    skipIfOffline(context)
    const run = await runVitest5(['budget-fail'])
    expect(run.exitCode, run.output).toBe(1)
    expect(run.output).toMatch(/expected scenario "slow" to have p99 latency below 5 ms, but its p99 latency is \d+\.\d\d ms/)
    expect(run.output).toMatch(/count\s+rps\s+share\s+min ms/)
    expect(run.output).toContain('loadScenario "endless finishes in time" timed out after 300 ms (options.timeout) while running scenario "endless"')
  }, RUN_TIMEOUT_MS)

  test("loadScenario's guard, .fails, one-at-a-time and refused members behave as on Vitest 4", async (context) => {
    skipIfOffline(context)
    const run = await runVitest5(['collector', 'refused', '--sequence.concurrent'])
    expect(run.exitCode, run.output).toBe(1)
    expect(run.stdout).toMatch(/✓ .*the load tests ran one at a time/)
    expect(run.stdout).toMatch(/✓ .*a budget that must break breaks/)
    expect(run.output).toContain('loadScenario("registered too late") was called inside the running test "registers a load test while it runs"')
    expect(run.output).toContain('Expect test to fail')
    expect(run.output).toContain('loadScenario.each is not supported: write a loop instead')
  }, RUN_TIMEOUT_MS)

  test("the CLI, the environment, the plugin's options and the file reach loadScenario through the global setup, in k6's order", async (context) => {
    skipIfOffline(context)
    const run = await runVitest5(['--', '--AgentGroup=from-cli', '--AgentsCount=1'], {
      cwd: inProject('config-check'),
      env: { LOADSPEC_AGENT_GROUP: 'from-env', LOADSPEC_CLUSTER_ID: 'from-env' },
    })
    expect(run.exitCode, run.output).toBe(0)
    expect(run.stdout).toMatch(/Tests\s+2 passed \(2\)/)
    expect(run.stdout).toContain('AgentsCount=1 (CLI, overrides plugin option 2)')
  }, RUN_TIMEOUT_MS)

  test('the matcher declarations for Vitest 5 type-check, with skipLibCheck off', async (context) => {
    skipIfOffline(context)
    const declaration = inProject('node_modules/loadspec/dist/matchers/vitest5.d.ts')
    // Until the build copies matchers/.vitest5.d.ts to dist/ (see docs/vitest.md), put it where it will be published.
    if (!existsSync(declaration)) copyFileSync(join(repoRoot, 'matchers/.vitest5.d.ts'), declaration)
    writeFileSync(
      inProject('types/tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] },
        files: ['types.test-d.ts', '../node_modules/loadspec/dist/matchers/vitest5.d.ts'],
      }),
    )
    const tsc = await runProcess([join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', inProject('types/tsconfig.json')], { cwd: project })
    expect(tsc.output.trim()).toBe('')
    expect(tsc.exitCode).toBe(0)
  }, RUN_TIMEOUT_MS)
})
