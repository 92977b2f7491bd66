/**
 * `loadspec/jest`: loadScenario for Jest plus the whole engine API, so a
 * test file needs one import. Use it with `loadspec/jest/global-setup`
 * (globalSetup: resolves the config), `loadspec/jest/setup`
 * (setupFilesAfterEnv: registers the matchers) and, for the matcher types,
 * `loadspec/matchers/jest`. Jest must run test files as ES modules
 * (`node --experimental-vm-modules`): loadspec is an ES module package.
 */
export * from '../../src/index.js'
export { loadScenario, loadspecConfig } from './load-scenario.js'
export type { LoadAssertion, LoadScenario, LoadScenarioAPI, LoadScenarioOptions } from './load-scenario.js'
