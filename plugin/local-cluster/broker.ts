/**
 * The local cluster's NATS: a `nats-server` from PATH on a free loopback
 * port, or the server the user named (NatsServerUrl), which is then used as
 * it is and never stopped. nats-server cannot watch its parent, so it runs
 * under a few lines of Node that can: the guard ends it when its stdin pipe
 * closes or it is re-parented (the test runner died, even by SIGKILL), and
 * on SIGTERM/SIGINT/SIGHUP (a closed terminal: nats-server alone would take
 * SIGHUP as "reload its config" and stay).
 */
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { ClusterChild, describeExit, type ChildSpec } from './children.js'
import { freePort, waitForPort } from './ports.js'

export interface Broker {
  /** `nats://127.0.0.1:41234`, or the user's URLs. */
  readonly urls: readonly string[]
  /** For the ready line: `nats 127.0.0.1:41234`, `nats nats://10.0.0.5:4222 (NatsServerUrl)`. */
  readonly description: string
  /** The guard around the nats-server this cluster started; undefined for the user's server. */
  readonly process: ClusterChild | undefined
}

/** `nats-server` on PATH, or undefined. */
export function findNatsServer(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, 'nats-server')
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // Not here.
    }
  }
  return undefined
}

const GUARD_SCRIPT = `
const { spawn } = require('node:child_process')
const [command, ...args] = process.argv.slice(1)
// Its own process group: a terminal's SIGINT/SIGHUP reach the guard, which decides (nats-server takes SIGHUP as "reload").
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true })
let stopping = false
const stop = () => {
  if (stopping) return
  stopping = true
  child.kill('SIGTERM')
  setTimeout(() => child.kill('SIGKILL'), 1000).unref()
}
process.stdin.on('end', stop).on('error', stop).resume()
const parent = process.ppid
setInterval(() => { if (process.ppid !== parent) stop() }, 250).unref()
process.on('SIGTERM', stop).on('SIGINT', stop).on('SIGHUP', stop)
child.on('error', (error) => { console.error(error.message); process.exit(127) })
child.on('exit', (code) => process.exit(code ?? 0))
`

export async function startBroker(natsServer: string, spec: Omit<ChildSpec, 'name' | 'command' | 'args'>, startTimeoutMs = 10_000): Promise<Broker> {
  const port = await freePort()
  const guard = new ClusterChild({ ...spec, name: 'nats', command: process.execPath, args: ['-e', GUARD_SCRIPT, natsServer, '-a', '127.0.0.1', '-p', String(port)] })
  const exited = guard.exited.then((info) => {
    throw new Error(`local cluster: nats-server ${describeExit(guard, info).replace(/^nats /, '')} before it listened on 127.0.0.1:${port}:\n${guard.lastOutput()}`)
  })
  try {
    await Promise.race([waitForPort(port, startTimeoutMs).catch((error: Error) => {
      throw new Error(`local cluster: nats-server: ${error.message}`)
    }), exited])
  } catch (error) {
    await guard.stop()
    throw error
  }
  exited.catch(() => {})
  return { urls: [`nats://127.0.0.1:${port}`], description: `nats 127.0.0.1:${port}`, process: guard }
}

export function userBroker(urls: readonly string[]): Broker {
  return { urls, description: `nats ${urls.join(',')} (NatsServerUrl)`, process: undefined }
}
