import { defineConfig } from 'vitest/config'
import { loadspec } from 'loadspec/plugin'

// A client of the coordinator service: the cluster from ../loadspec.config.json, two agents per session.
export default defineConfig({
  plugins: [loadspec({ configFile: '../loadspec.config.json', nodeType: 'Client', agentsCount: 2 })],
  test: { include: ['**/*.load.test.ts'] },
})
