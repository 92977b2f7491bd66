// The coordinator of the cluster example: starts the demo shop, waits for the two
// agents named in loadspec.config.json, runs the test and prints the merged result.
//   node bin/loadspec.js run examples/cluster/coordinator.ts
import { fileURLToPath } from 'node:url'
import { Runner } from 'loadspec'
import { browse, healthCheck } from './scenarios.js'
import { startShop } from './shop-server.js'

const shop = await startShop(Number(process.env.SHOP_PORT ?? 8787))
try {
  const result = await Runner.registerScenarios(browse, healthCheck)
    .loadConfig(fileURLToPath(new URL('./loadspec.config.json', import.meta.url)))
    .run()
  let counted = 0
  for (const stats of result.scenarioStats) {
    counted += stats.allRequestCount
    console.log(
      `${stats.scenarioName}: ${stats.ok.request.count} ok, ${stats.fail.request.count} failed, ` +
        `p50 ${stats.ok.latencyMs.p50.toFixed(2)} ms, p99 ${stats.ok.latencyMs.p99.toFixed(2)} ms`,
    )
  }
  for (const node of result.nodes) {
    console.log(`  ${node.nodeType} ${node.nodeId} ran ${node.scenarios.join(', ') || 'nothing'} (partition ${node.partition.number + 1} of ${node.partition.count})`)
  }
  for (const warning of result.warnings) console.log(`  warning: ${warning}`)
  console.log(`the shop answered ${shop.requests} requests; loadspec counted ${counted}`)
  if (result.incomplete || counted !== shop.requests) throw new Error('the merged result does not account for every request')
} finally {
  await shop.close()
}
