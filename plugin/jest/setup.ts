/**
 * `loadspec/jest/setup`: for Jest's `setupFilesAfterEnv`. Registers the
 * matchers on Jest's `expect` in every test file (their types come from
 * `loadspec/matchers/jest`) and, after the file, reports its obsolete load
 * baselines (removed with -u when every test of the file ran and passed).
 */
import { afterAll, expect } from '@jest/globals'
import { registerMatchers } from '../../matchers/index.js'
import { reportObsoleteLoadBaselines } from '../obsolete-baselines.js'
import { everyJestTestPassed } from './test-outcomes.js'

registerMatchers(expect)
// A setup file's afterAll is one of the file's root hooks: it runs after every test of the file.
afterAll(() => reportObsoleteLoadBaselines(expect.getState(), everyJestTestPassed()))
