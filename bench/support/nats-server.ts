/**
 * A nats-server for the cluster bench, the pattern of test/support/nats-server.ts
 * in small: a free port on 127.0.0.1, started by this process, stopped by
 * PID (SIGTERM, SIGKILL after 2 s), and killed when this process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, connect as connectTcp } from 'node:net'

export interface BenchNatsServer {
  readonly url: string
  readonly pid: number
  stop(): Promise<void>
}

const started = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of started) child.kill('SIGKILL')
})

export async function startBenchNatsServer(): Promise<BenchNatsServer> {
  const port = await freePort()
  const child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] })
  started.add(child)
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 10_000) stderr += chunk.toString()
  })
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const server: BenchNatsServer = {
    url: `nats://127.0.0.1:${port}`,
    pid: child.pid ?? -1,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        child.kill('SIGTERM')
        const forced = setTimeout(() => child.kill('SIGKILL'), 2000)
        await exited
        clearTimeout(forced)
      }
      started.delete(child)
    },
  }
  const failed = await Promise.race([waitForPort(port, 5000, () => child.exitCode !== null).then(() => undefined, (error: unknown) => error), spawnError])
  if (failed !== undefined) {
    await server.stop()
    throw new Error(`nats-server did not start on 127.0.0.1:${port} (is it on PATH?): ${failed instanceof Error ? failed.message : String(failed)}\n${stderr}`)
  }
  return server
}

async function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

async function waitForPort(port: number, timeoutMs: number, gaveUp: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (gaveUp()) throw new Error('the process exited')
    const open = await new Promise<boolean>((resolve) => {
      const socket = connectTcp(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (open) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`nothing listened within ${timeoutMs} ms`)
}
