/**
 * Matcher types for Vitest 4, whose `Matchers<T>` takes the received type.
 * Reference it once (tsconfig "types", a `/// <reference types>` or an
 * `import type {} from 'loadspec/matchers/vitest4'`). Vitest 5 declares
 * `Matchers<R, T>` and takes `loadspec/matchers/vitest5` instead: an
 * augmentation must repeat the type parameters of what it extends, so one
 * file cannot serve both (see README "Vitest").
 */
import type { LoadspecMatchers } from './types.js'

declare module 'vitest' {
  // T is Vitest's received-value parameter; the matchers return nothing.
  interface Matchers<T> extends LoadspecMatchers<void> {}
  // `expect.toHavePercentileBelow(…)` and `expect.not.…` inside toEqual().
  interface AsymmetricMatchersContaining extends LoadspecMatchers<void> {}
}

export {}
