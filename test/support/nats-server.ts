/**
 * A real nats-server for tests: its own free port on 127.0.0.1, started
 * per test file, stopped by PID. Every server started here is also killed
 * when the test process exits, so none outlives the suite.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { freePort, waitForPort } from '../../plugin/local-cluster/ports.js'

export { freePort }

export interface NatsServerHandle {
  readonly url: string
  readonly port: number
  readonly pid: number
  /** Kills the server (SIGTERM by default, SIGKILL after 2 s) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>
}

export interface NatsServerOptions {
  /** A given port (e.g. to restart a killed server where its clients expect it); default: a free one. */
  readonly port?: number
  /** Added to the server's environment (its config file may reference `$NAME` variables). */
  readonly env?: Record<string, string>
}

const started = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of started) child.kill('SIGKILL')
})

export async function startNatsServer(extraArgs: readonly string[] = [], options: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const port = options.port ?? (await freePort())
  const child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), ...extraArgs], {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(options.env === undefined ? {} : { env: { ...process.env, ...options.env } }),
  })
  started.add(child)
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 10_000) stderr += chunk.toString()
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const handle: NatsServerHandle = {
    url: `nats://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal)
        const forced = setTimeout(() => child.kill('SIGKILL'), 2000)
        await exited
        clearTimeout(forced)
      }
      started.delete(child)
    },
  }
  try {
    await waitForPort(port, 5000, () => child.exitCode !== null)
  } catch (error) {
    await handle.stop()
    throw new Error(`nats-server did not start on port ${port}: ${error instanceof Error ? error.message : String(error)}\n${stderr}`)
  }
  return handle
}
