/**
 * A Jest project as a client of the coordinator service (NodeType Client), sharing the
 * agents with the Vitest projects. NatsServerUrl comes from the environment
 * (LOADSPEC_NATS_SERVER_URL), else nats://127.0.0.1:4222 from ../loadspec.config.json.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/*.load.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  globalSetup: '<rootDir>/global-setup.ts',
  setupFilesAfterEnv: ['loadspec/jest/setup'],
  testEnvironmentOptions: { loadspec: { configFile: '../loadspec.config.json', nodeType: 'Client', agentsCount: 2 } },
}
