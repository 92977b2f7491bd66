/**
 * examples/jest passes `npm test` and `npm run typecheck`, without the
 * network: a copy of it gets a node_modules whose `loadspec` is a link to
 * this repository and whose Jest, ts-jest and TypeScript are this
 * repository's.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { copyExample } from '../support/example-copy.js'
import { runJest } from '../support/jest-cli.js'
import { repoRoot, runProcess, testsByTitle } from '../support/vitest-cli.js'

let copy = ''

afterAll(() => {
  if (copy !== '') rmSync(copy, { recursive: true, force: true })
})

test('examples/jest: jest passes, and the documented tsconfig type-checks', async () => {
  copy = copyExample(join(repoRoot, 'examples/jest'), ['jest', 'ts-jest', 'typescript', '@jest', '@types'])

  const run = await runJest([], { cwd: copy, json: true })
  expect(run.exitCode, run.output).toBe(0)
  expect([...testsByTitle(run.report).entries()].map(([title, result]) => [title, result.status])).toEqual([
    ['browsing keeps p99 under 250 ms at 100 rps', 'passed'],
    ['10 shoppers check out without errors', 'passed'],
  ])
  expect(run.output).toMatch(/loadspec: browse: [\d.]+ rps/)
  expect(run.output).toMatch(/loadspec: checkout: [\d.]+ rps/)

  // `npm run typecheck`: "types": ["node", "loadspec/matchers/jest"] through node_modules/loadspec.
  const tsc = await runProcess([join(copy, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', join(copy, 'tsconfig.json')], { cwd: copy })
  expect(tsc.output.trim()).toBe('')
  expect(tsc.exitCode).toBe(0)
})
