import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface TargetReply {
  readonly status: number
  readonly body: string
  readonly delayMs?: number
}

export interface HttpTarget {
  readonly url: string
  /** Requests the server has received. */
  readonly requestCount: number
  /** Body bytes the server has sent. */
  readonly bytesSent: number
  /** The most requests it ever had in progress at once. */
  readonly maxInFlight: number
  readonly inFlight: number
  close(): Promise<void>
}

/**
 * A real node:http server on 127.0.0.1 (random port) that counts what it
 * sees, so tests can compare loadspec's figures with the target's.
 */
export async function startHttpTarget(reply: (requestNumber: number, req: IncomingMessage) => TargetReply): Promise<HttpTarget> {
  let requestCount = 0
  let bytesSent = 0
  let inFlight = 0
  let maxInFlight = 0
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requestCount++
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    const { status, body, delayMs = 0 } = reply(requestCount, req)
    const send = (): void => {
      const bytes = Buffer.from(body)
      bytesSent += bytes.byteLength
      res.writeHead(status, { 'content-length': bytes.byteLength })
      res.end(bytes)
      inFlight--
    }
    req.resume()
    req.on('end', () => (delayMs > 0 ? setTimeout(send, delayMs) : send()))
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    get requestCount() {
      return requestCount
    },
    get bytesSent() {
      return bytesSent
    },
    get maxInFlight() {
      return maxInFlight
    },
    get inFlight() {
      return inFlight
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
