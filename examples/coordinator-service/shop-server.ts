/** The demo shop the agents load: `npx loadspec run shop-server.ts` (Ctrl-C stops it). It answers /products in ~3 ms. */
import { createServer } from 'node:http'

const port = Number(process.env.SHOP_PORT ?? 8788)
let requests = 0
const server = createServer((req, res) => {
  requests++
  setTimeout(() => res.end(JSON.stringify({ url: req.url, request: requests })), 3)
})
server.listen(port, '127.0.0.1', () => console.log(`shop on http://127.0.0.1:${port}`))
process.once('SIGINT', () => {
  console.log(`shop answered ${requests} requests`)
  server.close()
  server.closeAllConnections()
})
await new Promise((resolve) => server.once('close', resolve))
