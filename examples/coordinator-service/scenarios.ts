/**
 * The scenarios every process of the example loads: the agents run their code, the
 * test projects submit their names and load shapes. A module of its own that imports
 * "loadspec", never "vitest": agents load it outside Vitest. SHOP_URL says where the
 * shop is, from each agent's environment.
 */
import { Response, Scenario } from 'loadspec'

export const browse = Scenario.create('browse', async (ctx) => {
  const res = await fetch(`${process.env.SHOP_URL ?? 'http://127.0.0.1:8788'}/products`, { signal: ctx.signal })
  const body = await res.arrayBuffer()
  return res.ok ? Response.ok(res.status, body.byteLength) : Response.fail(res.status, `GET /products: HTTP ${res.status}`, body.byteLength)
})
