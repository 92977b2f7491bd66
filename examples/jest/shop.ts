/**
 * The service under test: a tiny shop API on node:http. In a real project
 * this is your application, started the way your tests start it.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

const PRODUCTS = JSON.stringify([
  { id: 1, name: 'kettle', price: 29 },
  { id: 2, name: 'teapot', price: 19 },
])

export async function startShop(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const reply = (status: number, body: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(body)
    req.resume()
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/products') return reply(200, PRODUCTS)
      if (req.method === 'POST' && req.url === '/cart') return reply(201, '{"items":1}')
      // Paying talks to a payment provider: a few milliseconds.
      if (req.method === 'POST' && req.url === '/checkout') return void setTimeout(() => reply(200, '{"paid":true}'), 5)
      reply(404, '{"error":"not found"}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}
