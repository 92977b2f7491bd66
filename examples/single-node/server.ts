import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A small target on 127.0.0.1: answers after ~2 ms; /checkout fails one request in 50. */
export async function startShopServer(): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  let requests = 0
  let checkouts = 0
  const server: Server = createServer((req, res) => {
    requests++
    const fail = req.url === '/checkout' && ++checkouts % 50 === 0
    setTimeout(() => {
      res.writeHead(fail ? 503 : 200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ ok: !fail, order: requests }))
    }, 2)
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
