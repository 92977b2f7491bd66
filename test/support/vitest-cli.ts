/**
 * Runs `vitest run` as a child process on a project folder, as a user's
 * terminal or CI would, and reads what it printed and reported.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const fixturesDir = join(repoRoot, 'test/fixtures')
/** The repository's own Vitest (4.x). */
export const repoVitest = join(repoRoot, 'node_modules/vitest/vitest.mjs')

export interface ProcessResult {
  readonly exitCode: number | null
  readonly stdout: string
  readonly stderr: string
  /** stdout and stderr together, for messages that may land on either. */
  readonly output: string
  readonly durationMs: number
}

export interface RunProcessOptions {
  readonly cwd: string
  readonly env?: Record<string, string>
  /** Executable; default: this process's node. */
  readonly command?: string
  readonly timeoutMs?: number
  /** Called with the child's pid once it is started (to find the processes it starts). */
  readonly onSpawn?: (pid: number) => void
}

/**
 * Runs a command with a clean environment: no colours, and nothing of the
 * Vitest process running this test (its VITEST_* variables would make the
 * child think it is a worker) nor any LOADSPEC_* setting of the caller.
 */
export function runProcess(args: readonly string[], options: RunProcessOptions): Promise<ProcessResult> {
  const startedAt = Date.now()
  const env: Record<string, string> = { ...inheritedEnv(), NO_COLOR: '1', FORCE_COLOR: '0', ...options.env }
  const child = spawn(options.command ?? process.execPath, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  if (child.pid !== undefined) options.onSpawn?.(child.pid)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
  return new Promise((resolvePromise, reject) => {
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (exitCode) => {
      clearTimeout(timer)
      resolvePromise({ exitCode, stdout, stderr, output: `${stdout}\n${stderr}`, durationMs: Date.now() - startedAt })
    })
  })
}

export interface VitestRunOptions extends Omit<RunProcessOptions, 'command'> {
  /** Path of vitest.mjs; default: the repository's Vitest. */
  readonly vitest?: string
  /** Node executable; default: this process's node. */
  readonly node?: string
}

export interface VitestRun extends ProcessResult {
  /** The JSON reporter's file, when `json: true`. */
  readonly report: JsonReport | undefined
}

/**
 * `vitest run <args>` with the verbose reporter (every test and its
 * annotations on stdout) and, with `json`, the JSON reporter's file.
 * loadspec's report files go to a temporary folder (removed afterwards), not the fixture.
 */
export async function runVitest(args: readonly string[], options: VitestRunOptions & { readonly json?: boolean }): Promise<VitestRun> {
  const outDir = mkdtempSync(join(tmpdir(), 'loadspec-e2e-'))
  const jsonFile = join(outDir, 'vitest-report.json')
  const reporters = options.json ? ['--reporter=verbose', '--reporter=json', `--outputFile.json=${jsonFile}`] : ['--reporter=verbose']
  const result = await runProcess([options.vitest ?? repoVitest, 'run', ...reporters, ...args], {
    ...options,
    ...(options.node === undefined ? {} : { command: options.node }),
    env: { LOADSPEC_REPORT_FOLDER: join(outDir, 'load-reports'), ...options.env },
  })
  const report = options.json ? readJsonReport(jsonFile) : undefined
  rmSync(outDir, { recursive: true, force: true })
  return { ...result, report }
}

/** The parts of Vitest's JSON reporter output the tests read. */
export interface JsonReport {
  readonly testResults: readonly {
    readonly name: string
    readonly assertionResults: readonly JsonAssertion[]
  }[]
}

export interface JsonAssertion {
  readonly title: string
  readonly ancestorTitles: readonly string[]
  readonly status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo' | 'disabled'
  readonly failureMessages: readonly string[]
  readonly meta: Record<string, unknown>
}

/** Every test of the report by title. */
export function testsByTitle(report: JsonReport | undefined): Map<string, JsonAssertion> {
  const tests = (report?.testResults ?? []).flatMap((file) => file.assertionResults)
  return new Map(tests.map((test) => [test.title, test]))
}

function readJsonReport(file: string): JsonReport | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JsonReport
  } catch {
    return undefined
  }
}

/** This process's environment without what would confuse a child Vitest or loadspec run (see runProcess). */
export function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /^(VITEST|LOADSPEC_)/i.test(name) || name === 'TEST' || name === 'NODE_ENV') continue
    env[name] = value
  }
  return env
}
