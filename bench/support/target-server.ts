/**
 * The HTTP target of the http bench, in a process of its own (pinned to
 * another core when taskset is there): a node:http server on 127.0.0.1
 * answering every request with 200 and a fixed 11-byte body, keep-alive.
 * Prints its port, then serves until it is killed.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const body = Buffer.from('hello world')
const server = createServer((req, res) => {
  req.resume()
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length })
  res.end(body)
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  console.log(`PORT ${(server.address() as AddressInfo).port}`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
