/**
 * `loadspec/matchers`: the matchers without any test runner attached.
 * The Vitest plugin registers them in its setup file; elsewhere call
 * `registerMatchers(expect)` (loadspec/jest/setup does it for Jest). Types
 * come from one of the augmentation entry points (`loadspec/matchers/vitest4`,
 * `loadspec/matchers/vitest5` or `loadspec/matchers/jest`).
 */
import { loadspecMatchers } from './matchers.js'

export {
  loadspecMatchers,
  toHaveFailCount,
  toHaveFailRateBelow,
  toHaveMaxLatencyBelow,
  toHaveMeanLatencyBelow,
  toHaveNoDroppedIterations,
  toHaveOkCount,
  toHavePercentileBelow,
  toHaveRpsAtLeast,
  toHaveStatusCodeCount,
} from './matchers.js'
export { toHaveHealthyLoadGenerator } from './generator.js'
export { obsoleteLoadBaselines, toMatchLoadBaseline } from './baseline.js'
export type { AsymmetricMatcherLike, CountExpectation, LoadBaselineTolerances, LoadGeneratorLimits, LoadspecMatchers, MatcherContext, MatcherResult } from './types.js'

/** The part of Vitest's or Jest's `expect` that registration needs. */
export interface ExtensibleExpect {
  extend(matchers: typeof loadspecMatchers): void
}

export function registerMatchers(expect: ExtensibleExpect): void {
  expect.extend(loadspecMatchers)
}
