/**
 * Jest runs the test files as ES modules (loadspec is an ES module package):
 * `npm test` starts it with `node --experimental-vm-modules`, and ts-jest
 * compiles TypeScript to ESM.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  // Starts the shop, and calls loadspec's global setup (Jest takes one globalSetup module).
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  // Registers loadspec's matchers on Jest's expect.
  setupFilesAfterEnv: ['loadspec/jest/setup'],
  // loadspec's config keys in camelCase (nodeType, targetScenarios, reportFolder, …) plus configFile.
  testEnvironmentOptions: { loadspec: {} },
}
