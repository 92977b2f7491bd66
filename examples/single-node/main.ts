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
  const result = await Runner.registerScenarios(checkout).withReportFolder('load-reports/single-node').run()
  const stats = result.getScenarioStats('checkout')
  console.log(
    `checkout: ${stats.ok.request.count} ok, ${stats.fail.request.count} failed, ${stats.ok.request.rps.toFixed(1)} rps, ` +
      `p50 ${stats.ok.latencyMs.p50.toFixed(2)} ms, p99 ${stats.ok.latencyMs.p99.toFixed(2)} ms, dropped ${stats.droppedIterations}`,
  )
  for (const code of stats.statusCodes) console.log(`  status ${code.statusCode}: ${code.count} (${code.percent.toFixed(1)} %)`)
  const browse = result.getStepStats('checkout', 'browse')
  console.log(`  step browse: ${browse.ok.request.count} ok, p99 ${browse.ok.latencyMs.p99.toFixed(2)} ms`)
  for (const error of stats.errors) console.log(`  error ${error.statusCode}: ${error.message} x${error.count}`)
  for (const file of result.reportFiles) console.log(`  report: ${file}`)
} finally {
  await shop.close()
}
