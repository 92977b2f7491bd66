import { defineConfig } from 'vitest/config'
import { loadspec } from 'loadspec/plugin'

export default defineConfig({
  // Options are loadspec's config keys in camelCase (nodeType, targetScenarios, reportFolder, …) plus configFile.
  plugins: [loadspec()],
  test: {
    globalSetup: ['./global-setup.ts'],
  },
})
