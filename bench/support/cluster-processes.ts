/**
 * Child processes of the cluster bench, each bounded in time and stopped by
 * PID: `loadspec agent` processes (as a user starts them) and a one-shot
 * bench script that prints one JSON line (like support/child.ts, plus a
 * timeout that kills it). Every child is also killed when this process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const bin = fileURLToPath(new URL('../../bin/loadspec.js', import.meta.url))

const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

export interface AgentProcess {
  readonly pid: number
  readonly agentId: Promise<string>
  stop(): Promise<void>
}

/** Env every child gets: the parent's PID, so a child outliving a killed bench ends itself (support/cluster-scenarios.ts). */
function childEnv(): NodeJS.ProcessEnv {
  return { ...process.env, BENCH_PARENT_PID: String(process.pid) }
}

function track(child: ChildProcess): Promise<void> {
  running.add(child)
  return new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child)
      resolve()
    }),
  )
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const forced = setTimeout(() => child.kill('SIGKILL'), 3000)
  await exited
  clearTimeout(forced)
}

/** `loadspec agent --scenarios <module> --NodeType=Agent <options>`; agentId resolves when it says it joined (at most joinTimeoutMs). */
export function startAgentProcess(scenarioModule: string, options: readonly string[], joinTimeoutMs = 30_000): AgentProcess {
  const child = spawn(process.execPath, [bin, 'agent', '--scenarios', scenarioModule, '--NodeType=Agent', ...options], {
    cwd: repoRoot,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = track(child)
  let output = ''
  const agentId = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent process ${child.pid} did not join within ${joinTimeoutMs} ms; output:\n${output}`)), joinTimeoutMs)
    const append = (chunk: Buffer): void => {
      if (output.length < 100_000) output += chunk.toString()
      const match = /agent (\S+) \(host [^)]*\) joined/.exec(output)
      if (match !== null) {
        clearTimeout(timer)
        resolve(match[1] as string)
      }
    }
    child.stdout?.on('data', append)
    child.stderr?.on('data', append)
    void exited.then(() => {
      clearTimeout(timer)
      reject(new Error(`agent process ${child.pid} exited (${child.exitCode ?? child.signalCode}); output:\n${output}`))
    })
  })
  agentId.catch(() => undefined)
  return { pid: child.pid ?? -1, agentId, stop: () => stopChild(child, exited) }
}

/** `loadspec coordinator <options>` (the coordinator service); resolves once it says it serves (at most readyTimeoutMs). */
export async function startServiceProcess(options: readonly string[], readyTimeoutMs = 30_000): Promise<{ readonly pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [bin, 'coordinator', ...options], { cwd: repoRoot, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = track(child)
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`coordinator service ${child.pid} did not start within ${readyTimeoutMs} ms; output:\n${output}`)), readyTimeoutMs)
    const append = (chunk: Buffer): void => {
      if (output.length < 100_000) output += chunk.toString()
      if (!/serving ClusterId/.test(output)) return
      clearTimeout(timer)
      resolve()
    }
    child.stdout?.on('data', append)
    child.stderr?.on('data', append)
    void exited.then(() => reject(new Error(`coordinator service ${child.pid} exited (${child.exitCode ?? child.signalCode}); output:\n${output}`)))
  })
  return { pid: child.pid ?? -1, stop: () => stopChild(child, exited) }
}

/** Runs a bench script through the loadspec bin and returns the JSON its last stdout line holds; killed after timeoutMs. */
export async function runBoundedChildScript<T>(script: string, args: readonly string[], timeoutMs: number): Promise<T> {
  const child = spawn(process.execPath, [bin, 'run', script, ...args], { cwd: repoRoot, env: childEnv(), stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = track(child)
  let stdout = ''
  child.stdout?.setEncoding('utf8')
  child.stdout?.on('data', (chunk: string) => {
    if (stdout.length < 1_000_000) stdout += chunk
  })
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    void stopChild(child, exited)
  }, timeoutMs)
  await exited
  clearTimeout(timer)
  const lastLine = stdout.trim().split('\n').pop() ?? ''
  if (timedOut) throw new Error(`bench child ${script} ${args.join(' ')} was killed after ${timeoutMs} ms`)
  if (child.exitCode !== 0 || !lastLine.startsWith('{')) {
    throw new Error(`bench child ${script} ${args.join(' ')} exited with ${child.exitCode ?? child.signalCode}; its output ended with: ${lastLine}`)
  }
  return JSON.parse(lastLine) as T
}
