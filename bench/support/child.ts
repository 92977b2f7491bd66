import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const bin = fileURLToPath(new URL('../../bin/loadspec.js', import.meta.url))

/**
 * Runs a bench script (TypeScript, through the loadspec bin like the bench
 * itself) in a fresh Node process and returns the JSON object it prints on
 * its last line of stdout. A fresh process is what makes a peak-RSS figure
 * mean something: nothing measured before shares its heap.
 */
export async function runChildScript<T>(script: string, args: readonly string[], nodeOptions: readonly string[] = []): Promise<T> {
  const child = spawn(process.execPath, [...nodeOptions, bin, 'run', script, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let stdout = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk
  })
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', resolve)
  })
  const lastLine = stdout.trim().split('\n').pop() ?? ''
  if (exitCode !== 0 || !lastLine.startsWith('{')) {
    throw new Error(`bench child ${script} ${args.join(' ')} exited with ${exitCode}; its output ended with: ${lastLine}`)
  }
  return JSON.parse(lastLine) as T
}
