/**
 * `loadspec/jest/setup`: for Jest's `setupFilesAfterEnv`. Registers the
 * matchers on Jest's `expect` in every test file; their types come from
 * `loadspec/matchers/jest`.
 */
import { expect } from '@jest/globals'
import { registerMatchers } from '../../matchers/index.js'

registerMatchers(expect)
