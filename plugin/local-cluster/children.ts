/**
 * The local cluster's child processes: each is started with the run's
 * marker in its environment, a stdin pipe it can watch (the pipe closes when
 * this process dies, however it dies), and its output appended, line by
 * line with its name, to the cluster's log file. Every child still running
 * when this process exits is signalled by PID from an `exit` handler:
 * Vitest calls `process.exit` on SIGINT/SIGTERM without running teardowns.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import type { WriteStream } from 'node:fs'

/** Names the run in every child's environment, so its processes can be found (and only those). */
export const RUN_MARKER_VARIABLE = 'LOADSPEC_LOCAL_CLUSTER_RUN'

export interface ChildSpec {
  /** `nats`, `agent 1`: how the log and errors name it. */
  readonly name: string
  readonly command: string
  readonly args: readonly string[]
  readonly cwd: string
  readonly runId: string
  readonly log: WriteStream
  /** Added to the inherited environment (e.g. the NATS credentials of the user's server). */
  readonly env?: Readonly<Record<string, string>>
}

export interface ExitInfo {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

export class ClusterChild {
  readonly name: string
  readonly pid: number
  /** Resolves when the process has exited, whoever ended it. */
  readonly exited: Promise<ExitInfo>
  private readonly process: ChildProcess
  private stopping = false
  private tail = ''

  constructor(spec: ChildSpec) {
    this.name = spec.name
    this.process = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env, [RUN_MARKER_VARIABLE]: spec.runId, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    this.pid = this.process.pid ?? -1
    signalChildrenAtExit()
    running.add(this)
    this.exited = new Promise((resolve) => {
      this.process.once('error', (error) => {
        this.remember(`could not start ${spec.command}: ${error.message}\n`, spec.log)
        resolve({ code: null, signal: null })
      })
      this.process.once('exit', (code, signal) => {
        running.delete(this)
        resolve({ code, signal })
      })
    })
    for (const stream of [this.process.stdout, this.process.stderr]) {
      stream?.setEncoding('utf8').on('data', (chunk: string) => this.remember(chunk, spec.log))
    }
    // None of the pipes may keep this process alive: a `vitest run` (or Jest) that is done should exit.
    for (const handle of [this.process.stdin, this.process.stdout, this.process.stderr] as unknown as ({ unref?: () => void } | null)[]) handle?.unref?.()
    this.process.unref()
  }

  get isRunning(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null
  }

  /** True once stop() was called: an exit after that is no crash. */
  get wasStopped(): boolean {
    return this.stopping
  }

  /** The last lines it printed, for an error that says why it died. */
  lastOutput(maxLines = 20): string {
    return this.tail.trimEnd().split('\n').slice(-maxLines).join('\n')
  }

  /** SIGTERM by PID, SIGKILL after `forceAfterMs`; resolves once it has exited. */
  async stop(forceAfterMs = 2000): Promise<ExitInfo> {
    this.stopping = true
    if (this.isRunning) this.process.kill('SIGTERM')
    const forced = setTimeout(() => {
      if (this.isRunning) this.process.kill('SIGKILL')
    }, forceAfterMs)
    const info = await this.exited
    clearTimeout(forced)
    return info
  }

  private remember(chunk: string, log: WriteStream): void {
    this.tail = (this.tail + chunk).slice(-8000)
    if (!log.writable) return
    const lines = chunk.replace(/\n$/, '').split('\n')
    log.write(lines.map((line) => `[${this.name}] ${line}\n`).join(''))
  }
}

const running = new Set<ClusterChild>()
let exitHandlerInstalled = false

/** Installed with the first child, not at import: importing this module changes nothing. */
function signalChildrenAtExit(): void {
  if (exitHandlerInstalled) return
  exitHandlerInstalled = true
  process.once('exit', () => {
    for (const child of running) {
      try {
        process.kill(child.pid, 'SIGTERM')
      } catch {
        // Already gone.
      }
    }
  })
}

/** `agent 2 (pid 4242) exited with code 1` */
export function describeExit(child: ClusterChild, info: ExitInfo): string {
  const how = info.signal !== null ? `was killed by ${info.signal}` : info.code === null ? 'could not start' : `exited with code ${info.code}`
  return `${child.name} (pid ${child.pid}) ${how}`
}
