/**
 * Matcher types for Jest 30 (`expect` from `@jest/globals`), whose
 * `Matchers<R, T>` has Vitest 5's shape: R is what a matcher call returns
 * (a Promise after `.resolves` / `.rejects`). Published as
 * `loadspec/matchers/jest`; reference it once (tsconfig "types", a
 * `/// <reference types>` or an `import type {} from 'loadspec/matchers/jest'`).
 * Not included by `loadspec/jest` itself: the augmentation needs the
 * `expect` package to resolve from loadspec's folder, which strict package
 * managers do not promise.
 */
import type { AsymmetricMatcherLike, LoadspecMatchers } from './types.js'

declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> extends LoadspecMatchers<R> {}
  // `expect.toHavePercentileBelow(…)` inside toEqual(); Jest derives `expect.not.…` from this interface.
  interface AsymmetricMatchers extends LoadspecMatchers<AsymmetricMatcherLike> {}
}

export {}
