// The scenarios of the cluster example. The coordinator and every agent load
// this same module: agents bring the code, the coordinator decides the load.
import { request } from 'undici'
import { Response, Scenario, Simulation } from 'loadspec'

const shopUrl = `http://127.0.0.1:${process.env.SHOP_PORT ?? 8787}`

/** Runs on every agent (AgentTargetScenarios). ctx.partition says which share of the catalogue this agent browses. */
export const browse = Scenario.create('browse', async (ctx) => {
  const page = ctx.partition.number + ctx.partition.count * (ctx.invocationNumber % 10)
  const res = await request(`${shopUrl}/products?page=${page}`, { signal: ctx.signal })
  const body = await res.body.arrayBuffer()
  return res.statusCode < 400 ? Response.ok(res.statusCode, body.byteLength) : Response.fail(res.statusCode, 'browse failed', body.byteLength)
}).withLoadSimulations(Simulation.inject(50, 1, '2s'))

/** Runs on the coordinator only (CoordinatorTargetScenarios): a light probe next to the agents' load. */
export const healthCheck = Scenario.create('health-check', async (ctx) => {
  const res = await request(`${shopUrl}/health`, { signal: ctx.signal })
  await res.body.dump()
  return res.statusCode === 200 ? Response.ok(200) : Response.fail(res.statusCode, 'unhealthy')
}).withLoadSimulations(Simulation.inject(5, 1, '2s'))
