import { defineConfig } from 'vitest/config'
import { loadspec } from 'loadspec/plugin'

// bench/local-cluster.ts runs this project: BENCH_AGENTS set → a local cluster of that many
// agent processes; unset → one node (the test worker). Reports off: the bench reads BENCH_OUT.
const agents = Number(process.env.BENCH_AGENTS)
export default defineConfig({
  plugins: [loadspec({ reportsEnabled: false, ...(agents > 0 ? { localCluster: { agents } } : {}) })],
  test: { include: ['*.load.test.ts'] },
})
