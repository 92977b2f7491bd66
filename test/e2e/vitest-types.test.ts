/**
 * The published declarations as a user's TypeScript sees them: the
 * vitest-types fixture imports `loadspec/vitest` and `loadspec/plugin` by
 * name (dist/ through "exports") and is checked by tsc with skipLibCheck off
 * against this repository's Vitest 4 and dist/matchers/vitest4.d.ts.
 * Vitest 5 gets the same check in vitest-5.test.ts.
 */
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { fixturesDir, repoRoot, runProcess } from '../support/vitest-cli.js'

test('the fixture type-checks against the published Vitest 4 declarations', async () => {
  const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc')
  const run = await runProcess([tsc, '-p', join(fixturesDir, 'vitest-types/tsconfig.json')], { cwd: repoRoot })
  expect(run.output.trim()).toBe('')
  expect(run.exitCode).toBe(0)
})
