/**
 * Live progress as a person sees it: a script that runs load, started under
 * a pseudo-terminal (`script -qec`, util-linux), redraws its progress lines
 * in place; the same script with its output in a pipe, or in CI, prints only
 * the summary. Uses the built package (`npm run build`; `npm test` does).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { repoRoot, runProcess, type ProcessResult } from '../support/vitest-cli.js'

let temp: string
let script: string

const PROGRESS_HEAD = /loadspec 00:0\d \/ 00:03 \[[#-]{20}\] \d+ %/
const PROGRESS_ROW = /  ticks  ok \d+  fail \d+  [\d.]+ rps  p99 [\d.]+ ms/
const REDRAW = '\u001b[2A\r\u001b[J'

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'loadspec-tty-'))
  script = join(temp, 'run.mjs')
  const engine = pathToFileURL(join(repoRoot, 'dist/src/index.js')).href
  await writeFile(
    script,
    `import { Response, Runner, Scenario, Simulation } from ${JSON.stringify(engine)}
const ticks = Scenario.create('ticks', () => new Promise((resolve) => setTimeout(() => resolve(Response.ok(200, 10)), 2)))
  .withLoadSimulations(Simulation.inject(50, 1, '3s'))
await Runner.registerScenarios(ticks).withConfigSources({ argv: [], env: {} }).withoutReports().run()
`,
  )
})
afterAll(async () => {
  await rm(temp, { recursive: true, force: true })
})

/** The script under a pseudo-terminal: stdout is a TTY, as in a terminal window. */
function underTerminal(env: Record<string, string>): Promise<ProcessResult> {
  return runProcess(['-qec', `${process.execPath} ${script}`, '/dev/null'], { cwd: temp, command: 'script', env: { TERM: 'xterm', ...env }, timeoutMs: 30_000 })
}

describe('live progress', () => {
  test('on a terminal: redrawn about once a second, then wiped for the summary', async () => {
    const run = await underTerminal({ CI: '' })
    expect(run.exitCode, run.output).toBe(0)
    const output = run.stdout.replace(/\r\n/g, '\n')
    expect(output).toMatch(PROGRESS_HEAD)
    expect(output).toMatch(PROGRESS_ROW)
    // Drawn, then moved back over and redrawn at least once, and wiped before the summary.
    expect(output.split(REDRAW).length - 1).toBeGreaterThanOrEqual(2)
    const summaryAt = output.indexOf('scenario "ticks": 150 requests')
    expect(summaryAt).toBeGreaterThan(output.lastIndexOf(REDRAW))
    expect(output.slice(output.lastIndexOf(REDRAW) + REDRAW.length).trimStart()).toMatch(/^loadspec: 1 scenario on 1 node/)
  })

  test('in a pipe: no progress, no control codes, only the summary', async () => {
    const run = await runProcess([script], { cwd: temp, env: { TERM: 'xterm', CI: '' }, timeoutMs: 30_000 })
    expect(run.exitCode, run.output).toBe(0)
    expect(run.stdout).not.toMatch(PROGRESS_HEAD)
    expect(run.stdout).not.toContain('\u001b[')
    expect(run.stdout).toContain('scenario "ticks": 150 requests')
  })

  test('in CI, even on a terminal: no progress', async () => {
    const run = await underTerminal({ CI: 'true' })
    expect(run.exitCode, run.output).toBe(0)
    expect(run.stdout).not.toMatch(PROGRESS_HEAD)
    expect(run.stdout).toContain('scenario "ticks": 150 requests')
  })
})
