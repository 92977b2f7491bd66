import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'plugin/**/*.test.ts', 'matchers/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/fixtures/**', 'examples/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Type tests (expectTypeOf, @ts-expect-error) of the public types: loadScenario, the plugin, the matchers.
    typecheck: {
      enabled: true,
      include: ['test/types/**/*.test-d.ts'],
      // Type errors elsewhere belong to tsc (`npm run build`, `npm run typecheck`), not to these tests.
      ignoreSourceErrors: true,
    },
  },
})
