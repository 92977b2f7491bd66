/** Runs in every test worker before the test files: registers the matchers on Vitest's `expect`. */
import { expect } from 'vitest'
import { registerMatchers } from '../matchers/index.js'

registerMatchers(expect)
