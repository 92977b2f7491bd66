/**
 * Agent processes for cluster tests: `node bin/loadspec.js agent ...` as a
 * user runs it (it needs `npm run build`; `npm test` builds first). Output
 * is kept so a test can wait for a line and show it on failure; every
 * process started here is killed in stopAll() and when the test process
 * exits.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface NodeProcess {
  readonly pid: number
  readonly output: () => string
  /** Resolves when the output matches (polling every 20 ms, at most timeoutMs). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  /** Resolves once the output holds `count` matches of `pattern` (polling, at most timeoutMs). */
  waitForCount(pattern: RegExp, count: number, timeoutMs?: number): Promise<void>
  readonly exited: Promise<number | null>
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

export function startNodeProcess(args: readonly string[], env: Record<string, string> = {}, cwd = REPO_ROOT): NodeProcess {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env, LOADSPEC_TEST_PARENT_PID: String(process.pid) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  let output = ''
  const append = (chunk: Buffer): void => {
    if (output.length < 1_000_000) output += chunk.toString()
  }
  child.stdout?.on('data', append)
  child.stderr?.on('data', append)
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child)
      resolve(code)
    }),
  )
  return {
    pid: child.pid ?? -1,
    output: () => output,
    exited,
    async waitFor(pattern, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs
      while (Date.now() < deadline) {
        const match = pattern.exec(output)
        if (match !== null) return match
        if (child.exitCode !== null) break
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      throw new Error(`process ${child.pid} (${args.join(' ')}) did not print ${pattern} within ${timeoutMs} ms; output:\n${output}`)
    },
    async waitForCount(pattern, count, timeoutMs = 5000) {
      const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`)
      const deadline = Date.now() + timeoutMs
      let seen = 0
      while (Date.now() < deadline) {
        seen = output.match(global)?.length ?? 0
        if (seen >= count) return
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      throw new Error(`process ${child.pid} printed ${pattern} ${seen} times, not ${count}, within ${timeoutMs} ms; output:\n${output}`)
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal)
        const forced = setTimeout(() => child.kill('SIGKILL'), 5000)
        const code = await exited
        clearTimeout(forced)
        return code
      }
      return child.exitCode
    },
  }
}

/** `loadspec agent` with the given scenario module and --Key=value options. */
export function startAgentProcess(scenarioModule: string, options: readonly string[], env: Record<string, string> = {}): NodeProcess {
  return startNodeProcess(['bin/loadspec.js', 'agent', '--scenarios', scenarioModule, '--NodeType=Agent', ...options], env)
}

/** The agent id an agent process printed when it joined. */
export async function agentIdOf(agent: NodeProcess): Promise<string> {
  const match = await agent.waitFor(/agent (\S+) \(host [^)]*\) joined/)
  return match[1] as string
}
