/**
 * Runs in every test worker before the test files: registers the matchers on Vitest's `expect`, and after each file
 * reports its obsolete load baselines (removed with -u when every test of the file ran and passed).
 */
import { afterAll, expect } from 'vitest'
import { registerMatchers } from '../matchers/index.js'
import { everyVitestTestPassed, reportObsoleteLoadBaselines } from './obsolete-baselines.js'

registerMatchers(expect)
// A setup file's afterAll belongs to the test file's own suite, which Vitest (4.1+) passes second, after the hook's
// context. That context must be an object pattern: Vitest reads the hook's source for the fixtures it uses and
// refuses any other first parameter.
afterAll(({}, file) => reportObsoleteLoadBaselines(expect.getState(), everyVitestTestPassed(file)))
