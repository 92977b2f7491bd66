/**
 * One report per test run, whatever the runner: the global setup picks the
 * run's folder (`<ReportFolder>/<start time>`, made only when a load test
 * writes into it) and hands it to the workers; each load test writes its
 * report files into a folder named after it, then an entry with its verdict,
 * and renders the run's index.html again. The Vitest task and the Jest test
 * supply who the test is; everything else is here.
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import type { LoadspecConfig } from '../src/config/index.js'
import type { RunResult } from '../src/result/result.js'
import { runFolderName } from '../src/reports/run-folder.js'
import { readTestEntry, testFolderName, TEST_RUN_INDEX_FILE, updateTestRunIndex, writeTestEntry, type LoadTestVerdict } from '../src/reports/test-run/index.js'

/** What the global setup hands to the workers. Plain JSON: it travels by `provide` (Vitest) or the environment (Jest). */
export interface TestRunTarget {
  /** `<ReportFolder>/<start time>`, absolute. */
  readonly folder: string
  /** The project root: test files are named relative to it. */
  readonly root: string
  /** index.html is written when the html format is among ReportFormats. */
  readonly writesIndex: boolean
}

/** Who a load test is, as its runner knows it. */
export interface LoadTestIdentity {
  /** Tells apart two tests of the same name in one file (Vitest's task id); the full name where the runner has none. */
  readonly key: string
  readonly name: string
  /** Describe blocks and name, ` > ` between them. */
  readonly fullName: string
  /** Absolute path of the test file. */
  readonly file: string
  /** Vitest's `.fails`: the test passes when its body fails. */
  readonly expectsFailure?: boolean
}

/** The run's target, or undefined when reports are off. The folder is only named here, not made. */
export function planTestRun(config: Pick<LoadspecConfig, 'reportsEnabled' | 'reportFolder' | 'reportFormats'>, root: string, now: Date = new Date()): TestRunTarget | undefined {
  if (!config.reportsEnabled) return undefined
  const reports = resolve(root, config.reportFolder)
  const base = runFolderName(now.toISOString())
  let folder = join(reports, base)
  // Runs that start in the same second, one after the other, get -2, -3… (as Runner.run's folders do).
  for (let attempt = 2; existsSync(folder); attempt++) folder = join(reports, `${base}-${attempt}`)
  return { folder, root, writesIndex: config.reportFormats.includes('html') }
}

/**
 * The folder for this test's report files: named after the test; a second
 * test of the same full name in the same file gets `-2`. A retry of the
 * same test writes over its own folder.
 */
export async function testReportFolder(target: TestRunTarget, identity: LoadTestIdentity): Promise<string> {
  const base = testFolderName(identity.fullName, relativeFile(target, identity))
  for (let attempt = 1; ; attempt++) {
    const folder = join(target.folder, attempt === 1 ? base : `${base}-${attempt}`)
    const entry = await readTestEntry(folder).catch(() => undefined)
    if (entry === undefined || entry.key === identity.key) return folder
  }
}

/** Where a test's report and its run's index are, for the annotation and task.meta. */
export function reportPaths(target: TestRunTarget, result: RunResult): { readonly reportFiles: readonly string[]; readonly runReport: string | undefined } {
  return { reportFiles: result.reportFiles, runReport: target.writesIndex ? join(target.folder, TEST_RUN_INDEX_FILE) : undefined }
}

/** `loadspec report: load-reports/…/checkout-3fa2c1d0/loadspec-report.html · run: load-reports/…/index.html` */
export function reportLine(target: TestRunTarget, result: RunResult): string | undefined {
  const { reportFiles, runReport } = reportPaths(target, result)
  const own = reportFiles.find((file) => file.endsWith('.html')) ?? reportFiles[0]
  if (own === undefined) return undefined
  // Relative to the project when inside it (short), else absolute (a ../../.. chain helps nobody).
  const shown = (path: string): string => {
    const fromRoot = relative(target.root, path)
    return fromRoot === '' || fromRoot.startsWith('..') ? path : fromRoot
  }
  return `report: ${shown(own)}${runReport === undefined ? '' : ` · run: ${shown(runReport)}`}`
}

/**
 * Runs a load test's body and records its outcome in the test run (when
 * there is one) whatever the body does. The body gets the folder for its
 * reports and a callback for its result, and returns a failure it did not
 * throw (Vitest's expect.soft), if any.
 */
export async function recordedLoadTest(
  target: TestRunTarget | undefined,
  identity: LoadTestIdentity,
  body: (reportsInto: string | undefined, keep: (result: RunResult) => void) => Promise<unknown>,
  warn: (warning: string) => void | Promise<void>,
): Promise<void> {
  const startedAt = new Date()
  const folder = target === undefined ? undefined : await testReportFolder(target, identity)
  let result: RunResult | undefined
  let failure: unknown
  try {
    failure = await body(folder, (kept) => {
      result = kept
    })
  } catch (error) {
    failure = error
    throw error
  } finally {
    if (target !== undefined && folder !== undefined) {
      const warning = await recordLoadTest(target, { identity, folder, startedAt, result, failure })
      if (warning !== undefined) await warn(warning)
    }
  }
}

export interface LoadTestOutcome {
  readonly identity: LoadTestIdentity
  /** The folder testReportFolder gave. */
  readonly folder: string
  readonly startedAt: Date
  /** Undefined when the run itself threw. */
  readonly result: RunResult | undefined
  /** What failed the test (a thrown error, a soft assertion); undefined when it passed. */
  readonly failure: unknown
}

/**
 * Writes the test's entry and renders the run's index again. Never throws:
 * the test's verdict is the runner's; a report that cannot be written comes
 * back as a warning for the caller to print.
 */
export async function recordLoadTest(target: TestRunTarget, outcome: LoadTestOutcome): Promise<string | undefined> {
  if (!target.writesIndex) return undefined
  const failed = outcome.failure !== undefined
  const verdict: LoadTestVerdict = failed === (outcome.identity.expectsFailure === true) ? 'passed' : 'failed'
  const failureMessage = verdict === 'passed' ? undefined : failed ? failureText(outcome.failure) : 'expected to fail (.fails), but it passed'
  try {
    // A run that threw before its reports were written has no folder yet.
    await mkdir(outcome.folder, { recursive: true })
    await writeTestEntry(outcome.folder, {
      version: 1,
      key: outcome.identity.key,
      name: outcome.identity.name,
      fullName: outcome.identity.fullName,
      file: relativeFile(target, outcome.identity),
      verdict,
      ...(failureMessage === undefined ? {} : { failureMessage }),
      startedAt: outcome.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      reportFiles: (outcome.result?.reportFiles ?? []).map((file) => relative(outcome.folder, file)),
      ...(outcome.result === undefined ? {} : { result: outcome.result.toJSON() }),
    })
    await updateTestRunIndex(target.folder)
    return undefined
  } catch (error) {
    return `the test run's report (${join(target.folder, TEST_RUN_INDEX_FILE)}) was not updated: ${error instanceof Error ? error.message : String(error)}`
  }
}

function relativeFile(target: TestRunTarget, identity: LoadTestIdentity): string {
  return relative(target.root, identity.file).split('\\').join('/')
}

/** Most lines of a failure message the index shows; the stats table follows an assertion's first lines. */
const MAX_FAILURE_LINES = 40

function failureText(failure: unknown): string {
  const text = failure instanceof Error ? `${failure.name === 'Error' ? '' : `${failure.name}: `}${failure.message}` : String(failure)
  const lines = text.replace(/\u001b\[[0-9;]*m/g, '').split('\n')
  const shown = lines.length > MAX_FAILURE_LINES ? [...lines.slice(0, MAX_FAILURE_LINES), `… (${lines.length - MAX_FAILURE_LINES} more lines)`] : lines
  return shown.join('\n')
}
