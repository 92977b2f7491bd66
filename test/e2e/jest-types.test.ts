/**
 * The published Jest declarations as a user's TypeScript sees them: the
 * jest-types fixture imports `loadspec/jest`, `loadspec/jest/global-setup`
 * and `loadspec/matchers/jest` by name (dist/ through "exports") and is
 * checked by tsc with skipLibCheck off against this repository's Jest 30.
 */
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { fixturesDir, repoRoot, runProcess } from '../support/vitest-cli.js'

test('the fixture type-checks against the published Jest declarations', async () => {
  const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc')
  const run = await runProcess([tsc, '-p', join(fixturesDir, 'jest-types/tsconfig.json')], { cwd: repoRoot })
  expect(run.output.trim()).toBe('')
  expect(run.exitCode).toBe(0)
})
