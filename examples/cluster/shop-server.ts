import { createServer, type Server } from 'node:http'

export interface Shop {
  readonly baseUrl: string
  /** Requests the shop has answered, to compare with what loadspec counted. */
  readonly requests: number
  close(): Promise<void>
}

/** The demo target: a tiny shop on 127.0.0.1 that answers /products in ~3 ms and /health at once. */
export async function startShop(port: number): Promise<Shop> {
  let requests = 0
  const server: Server = createServer((req, res) => {
    requests++
    const delayMs = req.url?.startsWith('/products') ? 3 : 0
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ url: req.url, request: requests }))
    }, delayMs)
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    get requests() {
      return requests
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
