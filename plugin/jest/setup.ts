/**
 * `loadspec/jest/setup`: for Jest's `setupFilesAfterEnv`. Registers the
 * matchers on Jest's `expect` in every test file (their types come from
 * `loadspec/matchers/jest`) and reports obsolete load baselines after it.
 */
import { afterAll, expect } from '@jest/globals'
import { registerMatchers } from '../../matchers/index.js'
import { warnObsoleteLoadBaselines } from '../obsolete-baselines.js'

registerMatchers(expect)
afterAll(() => warnObsoleteLoadBaselines(expect.getState().testPath))
