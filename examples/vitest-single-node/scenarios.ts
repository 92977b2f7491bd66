/**
 * What users do in the shop, as load scenarios. Each request's status and size is recorded.
 * A module of its own that imports neither vitest nor loadspec/vitest: an agent can load it too.
 */
import { Response, Scenario, Step, type IterationContext } from 'loadspec'

async function call(ctx: IterationContext, method: 'GET' | 'POST', path: string) {
  const res = await fetch(`${process.env.SHOP_URL}${path}`, { method, signal: ctx.signal })
  const body = await res.arrayBuffer()
  return res.ok ? Response.ok(res.status, body.byteLength) : Response.fail(res.status, `${method} ${path}: HTTP ${res.status}`, body.byteLength)
}

export const browse = Scenario.create('browse', (ctx) => call(ctx, 'GET', '/products'))

export const checkout = Scenario.create('checkout', async (ctx) => {
  await Step.run('add to cart', ctx, () => call(ctx, 'POST', '/cart'))
  return Step.run('pay', ctx, () => call(ctx, 'POST', '/checkout'))
})
