// Runs one scenario on this process against a local HTTP server and prints the result.
// From the repository root: npm run example
import { request } from 'undici'
import { Response, Runner, Scenario, Simulation, Step } from 'loadspec'
import { startShopServer } from './server.js'

const shop = await startShopServer()

const checkout = Scenario.create('checkout', async (ctx) => {
  await Step.run('browse', ctx, async () => {
    const res = await request(`${shop.baseUrl}/products`, { signal: ctx.signal })
    const body = await res.body.arrayBuffer()
    return Response.ok(res.statusCode, body.byteLength)
  })
  const res = await request(`${shop.baseUrl}/checkout`, { method: 'POST', signal: ctx.signal })
  const body = await res.body.arrayBuffer()
  return res.statusCode < 400
    ? Response.ok(res.statusCode, body.byteLength)
    : Response.fail(res.statusCode, 'checkout failed', body.byteLength)
})
  .withWarmUpDuration('1s')
  .withLoadSimulations(Simulation.rampingInject(200, 1, '2s'), Simulation.inject(200, 1, '3s'))

try {
  // Runner.run() prints the summary table and writes the reports (load-reports/single-node/<time>/).
  const result = await Runner.registerScenarios(checkout).withReportFolder('load-reports/single-node').run()
  const p99Ms = result.getScenarioStats('checkout').ok.latencyMs.p99
  const budgetMs = 250
  console.log(`p99 budget ${budgetMs} ms: ${p99Ms < budgetMs ? 'kept' : 'BROKEN'} (p99 ${p99Ms.toFixed(2)} ms)`)
  if (p99Ms >= budgetMs) process.exitCode = 1
} finally {
  await shop.close()
}
