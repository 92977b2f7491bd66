/**
 * Matcher types for Vitest 5 (and the shape Jest 30's `expect` shares):
 * `Matchers<R, T>`, where R is what a matcher call returns (a Promise after
 * `.resolves`, `.rejects` or `expect.poll`).
 *
 * Published as `loadspec/matchers/vitest5` (dist/matchers/vitest5.d.ts).
 * This source is a dotfile on purpose: TypeScript leaves dotfiles out of
 * `include` globs, and inside this repository (which runs Vitest 4) the
 * declaration would clash with Vitest 4's `Matchers<T>`.
 *
 * Jest 30's is the same declaration for `declare module 'expect'`: jest.ts.
 */
import type { LoadspecMatchers } from './types.js'

declare module 'vitest' {
  interface Matchers<R extends void | Promise<void>, T = unknown> extends LoadspecMatchers<R> {}
}

export {}
