/** Runs in every test worker before the test files: registers the matchers on Vitest's `expect`, and reports obsolete load baselines after each file. */
import { afterAll, expect } from 'vitest'
import { registerMatchers } from '../matchers/index.js'
import { warnObsoleteLoadBaselines } from './obsolete-baselines.js'

registerMatchers(expect)
afterAll(() => warnObsoleteLoadBaselines(expect.getState().testPath))
