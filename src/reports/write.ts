/** Writing report files: after a run (into a new run folder) and from `loadspec report` (into a folder given). */
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { ReportFormat } from '../config/constants.js'
import { createRunResult, type RunResult, type SerializedRunResult } from '../result/result.js'
import { writeFileAtomically } from './atomic-write.js'
import { REPORT_FILE_EXTENSIONS, renderReport } from './render.js'
import { claimRunFolder } from './run-folder.js'

/** Name of every report file, before its extension. */
export const REPORT_BASE_NAME = 'loadspec-report'

export interface RunReportOptions {
  /** The report folder (ReportFolder); each run gets its own timestamped folder inside. */
  readonly reportFolder: string
  readonly formats: readonly ReportFormat[]
  /** Relative report folders resolve against this (default: process.cwd()). */
  readonly cwd?: string
  /**
   * Exactly the folder to write into (created when the first file is
   * written), instead of a new timestamped folder under reportFolder: how a
   * test runner puts each load test's files into the folder of its test run.
   */
  readonly folder?: string
}

/**
 * Writes a finished run's reports and returns its RunResult with
 * `reportFiles` filled. Never throws: what was measured must survive a full
 * disk or a read-only folder, so a failure becomes a warning on the result
 * and `reportFiles` lists only what was written. Every file is rendered
 * before the folder is made and written under a temporary name first, so a
 * run that fails or is cancelled leaves no empty folder and no cut file.
 */
export async function writeRunReports(serialized: SerializedRunResult, options: RunReportOptions): Promise<RunResult> {
  const cwd = options.cwd ?? process.cwd()
  const root = resolve(cwd, options.reportFolder)
  const exactFolder = options.folder === undefined ? undefined : resolve(cwd, options.folder)
  let rendered: Rendered | undefined
  const prepare = async (candidate: string): Promise<boolean> => {
    rendered = renderAll(serialized, candidate, options.formats, REPORT_BASE_NAME)
    return rendered.files.length > 0
  }
  let folder: string | undefined
  try {
    if (exactFolder === undefined) folder = await claimRunFolder(root, serialized.startedAt, undefined, prepare)
    else if (await prepare(exactFolder)) folder = await mkdir(exactFolder, { recursive: true }).then(() => exactFolder)
  } catch (error) {
    return withWarning(serialized, [], `reports were not written: cannot create a folder in ${exactFolder ?? root}: ${messageOf(error)}`)
  }
  if (rendered === undefined || folder === undefined) return withWarning(serialized, [], `reports were not written: ${rendered?.failures.join('; ') ?? 'nothing to write'}`)
  const { result, written, failures } = await writeRendered(rendered, serialized)
  if (failures.length === 0) return result
  return withWarning(serialized, written, `some reports were not written: ${failures.join('; ')}`)
}

/**
 * Writes `formats` into `folder` as `<baseName>.<extension>` and returns the
 * paths; throws with every failure listed (the CLI reports it and exits 1).
 */
export async function writeReportFiles(
  serialized: SerializedRunResult,
  folder: string,
  formats: readonly ReportFormat[],
  baseName = REPORT_BASE_NAME,
): Promise<string[]> {
  const { written, failures } = await writeRendered(renderAll(serialized, folder, formats, baseName), serialized)
  if (failures.length > 0) throw new Error(`Reports not written: ${failures.join('; ')}`)
  return written
}

export function reportFilePath(folder: string, format: ReportFormat, baseName = REPORT_BASE_NAME): string {
  return join(folder, `${baseName}.${REPORT_FILE_EXTENSIONS[format]}`)
}

interface Rendered {
  /** The run's report files, as the JSON and HTML reports list them. */
  readonly planned: readonly string[]
  readonly files: readonly { readonly format: ReportFormat; readonly path: string; readonly content: string }[]
  /** Formats that could not be rendered. */
  readonly failures: readonly string[]
}

function renderAll(serialized: SerializedRunResult, folder: string, formats: readonly ReportFormat[], baseName: string): Rendered {
  const planned = [...new Set(formats)].map((format) => ({ format, path: reportFilePath(folder, format, baseName) }))
  // The JSON report and the HTML page list the run's report files, so they are known before any is rendered.
  const result = createRunResult({ ...serialized, reportFiles: planned.map((file) => file.path) })
  const files: { format: ReportFormat; path: string; content: string }[] = []
  const failures: string[] = []
  for (const { format, path } of planned) {
    try {
      files.push({ format, path, content: renderReport(format, result) })
    } catch (error) {
      failures.push(`${format} (${path}): ${messageOf(error)}`)
    }
  }
  return { planned: planned.map((file) => file.path), files, failures }
}

interface WriteOutcome {
  /** The result as the reports describe it: reportFiles lists every planned file. */
  readonly result: RunResult
  readonly written: string[]
  readonly failures: string[]
}

async function writeRendered(rendered: Rendered, serialized: SerializedRunResult): Promise<WriteOutcome> {
  const written: string[] = []
  const failures = [...rendered.failures]
  for (const { format, path, content } of rendered.files) {
    try {
      await writeFileAtomically(path, content)
      written.push(path)
    } catch (error) {
      failures.push(`${format} (${path}): ${messageOf(error)}`)
    }
  }
  return { result: createRunResult({ ...serialized, reportFiles: [...rendered.planned] }), written, failures }
}

function withWarning(serialized: SerializedRunResult, written: readonly string[], warning: string): RunResult {
  return createRunResult({ ...serialized, reportFiles: [...written], warnings: [...serialized.warnings, warning] })
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
