import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { note } from './report.js'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const bin = fileURLToPath(new URL('../../bin/loadspec.js', import.meta.url))

export interface TargetProcess {
  readonly url: string
  stop(): Promise<void>
}

/** Cores for the target and for this (generator) process, when the machine has two or more and taskset is there. */
export interface CorePlan {
  readonly targetCore: number | undefined
  readonly generatorCore: number | undefined
}

export function planCores(pin: boolean, cores: number): CorePlan {
  if (!pin || cores < 2 || spawnSync('taskset', ['-V']).status !== 0) return { targetCore: undefined, generatorCore: undefined }
  return { targetCore: 0, generatorCore: 1 }
}

/** Pins this process (all its threads) to one core, so the generator never competes with the target for a core. */
export function pinThisProcess(core: number | undefined): void {
  if (core === undefined) return
  const result = spawnSync('taskset', ['-a', '-cp', String(core), String(process.pid)])
  if (result.status !== 0) note(`could not pin the generator to core ${core}: ${result.stderr.toString().trim()}`)
}

/** Starts support/target-server.ts in a child process (on `core` when given) and waits for its port. */
export async function startTargetProcess(core: number | undefined): Promise<TargetProcess> {
  const args = [bin, 'run', 'bench/support/target-server.ts']
  const child: ChildProcess =
    core === undefined
      ? spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] })
      : spawn('taskset', ['-c', String(core), process.execPath, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<number>((resolve, reject) => {
    let output = ''
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', (chunk: string) => {
      output += chunk
      const match = /PORT (\d+)/.exec(output)
      if (match) resolve(Number(match[1]))
    })
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`the bench target exited with ${code} before listening`)))
  })
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
