/**
 * examples/vitest-single-node passes `vitest run`, without the network: a
 * copy of it gets a node_modules whose `loadspec` and `vitest` are links to
 * this repository and its Vitest, which is what `npm install` makes of its
 * `"loadspec": "file:../.."` (a link) plus an installed Vitest.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { repoRoot, runVitest, testsByTitle } from '../support/vitest-cli.js'

const example = join(repoRoot, 'examples/vitest-single-node')
let copy = ''

afterAll(() => {
  if (copy !== '') rmSync(copy, { recursive: true, force: true })
})

test('examples/vitest-single-node: vitest run passes', async () => {
  copy = mkdtempSync(join(tmpdir(), 'loadspec-example-'))
  // A developer may have run npm install in the example: leave their node_modules and reports behind.
  cpSync(example, copy, { recursive: true, filter: (source) => !['node_modules', 'load-reports', 'package-lock.json'].includes(basename(source)) })
  mkdirSync(join(copy, 'node_modules'))
  symlinkSync(repoRoot, join(copy, 'node_modules/loadspec'), 'dir')
  symlinkSync(join(repoRoot, 'node_modules/vitest'), join(copy, 'node_modules/vitest'), 'dir')

  const run = await runVitest([], { cwd: copy, json: true })
  expect(run.exitCode, run.output).toBe(0)
  expect([...testsByTitle(run.report).entries()].map(([title, result]) => [title, result.status])).toEqual([
    ['browsing keeps p99 under 250 ms at 100 rps', 'passed'],
    ['10 shoppers check out without errors', 'passed'],
  ])
  expect(run.stdout).toMatch(/↳ browse: [\d.]+ rps/)
  expect(run.stdout).toMatch(/↳ checkout: [\d.]+ rps/)
})
