/**
 * Runs `jest` as a child process on a project folder, as a user's terminal
 * or CI would: `node --experimental-vm-modules` (loadspec is an ES module
 * package, so test files run as ES modules), and reads what it printed and
 * reported.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot, runProcess, type JsonReport, type ProcessResult, type RunProcessOptions } from './vitest-cli.js'

/** The repository's Jest (30.x). */
export const repoJest = join(repoRoot, 'node_modules/jest/bin/jest.js')

export interface JestRun extends ProcessResult {
  /** Jest's `--json` results, when `json: true`: the same layout as Vitest's JSON reporter, minus `meta`. */
  readonly report: JsonReport | undefined
}

export interface JestRunOptions extends Omit<RunProcessOptions, 'command'> {
  readonly json?: boolean
}

/**
 * `jest <args>` with a fresh cache folder, so no earlier run's timings make
 * Jest run the files in band (the config handoff to workers is what is
 * tested); loadspec's report files go to a temporary folder too. Both are
 * removed afterwards.
 */
export async function runJest(args: readonly string[], options: JestRunOptions): Promise<JestRun> {
  const outDir = mkdtempSync(join(tmpdir(), 'loadspec-jest-e2e-'))
  const jsonFile = join(outDir, 'jest-report.json')
  const jestArgs = ['--ci', '--watchman=false', `--cacheDirectory=${join(outDir, 'cache')}`, ...(options.json ? ['--json', `--outputFile=${jsonFile}`] : []), ...args]
  const result = await runProcess(['--experimental-vm-modules', repoJest, ...jestArgs], {
    ...options,
    env: { LOADSPEC_REPORT_FOLDER: join(outDir, 'load-reports'), ...options.env },
  })
  const report = options.json ? readReport(jsonFile) : undefined
  rmSync(outDir, { recursive: true, force: true })
  return { ...result, report }
}

function readReport(file: string): JsonReport | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JsonReport
  } catch {
    return undefined
  }
}
