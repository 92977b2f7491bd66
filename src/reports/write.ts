/** Writing report files: after a run (into a new run folder) and from `loadspec report` (into a folder given). */
import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { ReportFormat } from '../config/constants.js'
import { createRunResult, type RunResult, type SerializedRunResult } from '../result/result.js'
import { REPORT_FILE_EXTENSIONS, renderReport } from './render.js'
import { createRunFolder } from './run-folder.js'

/** Name of every report file, before its extension. */
export const REPORT_BASE_NAME = 'loadspec-report'

export interface RunReportOptions {
  /** The report folder (ReportFolder); each run gets its own timestamped folder inside. */
  readonly reportFolder: string
  readonly formats: readonly ReportFormat[]
  /** Relative report folders resolve against this (default: process.cwd()). */
  readonly cwd?: string
}

/**
 * Writes a finished run's reports and returns its RunResult with
 * `reportFiles` filled. Never throws: what was measured must survive a full
 * disk or a read-only folder, so a failure becomes a warning on the result
 * and `reportFiles` lists only what was written.
 */
export async function writeRunReports(serialized: SerializedRunResult, options: RunReportOptions): Promise<RunResult> {
  const root = resolve(options.cwd ?? process.cwd(), options.reportFolder)
  let folder: string
  try {
    folder = await createRunFolder(root, serialized.startedAt)
  } catch (error) {
    return withWarning(serialized, [], `reports were not written: cannot create a folder in ${root}: ${messageOf(error)}`)
  }
  const { result, written, failures } = await renderInto(serialized, folder, options.formats, REPORT_BASE_NAME)
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
  const { written, failures } = await renderInto(serialized, folder, formats, baseName)
  if (failures.length > 0) throw new Error(`Reports not written: ${failures.join('; ')}`)
  return written
}

export function reportFilePath(folder: string, format: ReportFormat, baseName = REPORT_BASE_NAME): string {
  return join(folder, `${baseName}.${REPORT_FILE_EXTENSIONS[format]}`)
}

interface RenderOutcome {
  /** The result as the reports describe it: reportFiles lists every planned file. */
  readonly result: RunResult
  readonly written: string[]
  readonly failures: string[]
}

async function renderInto(serialized: SerializedRunResult, folder: string, formats: readonly ReportFormat[], baseName: string): Promise<RenderOutcome> {
  const planned = [...new Set(formats)].map((format) => ({ format, path: reportFilePath(folder, format, baseName) }))
  // The JSON report and the HTML page list the run's report files, so they are known before any is written.
  const result = createRunResult({ ...serialized, reportFiles: planned.map((file) => file.path) })
  const written: string[] = []
  const failures: string[] = []
  for (const { format, path } of planned) {
    try {
      await writeFile(path, renderReport(format, result), 'utf8')
      written.push(path)
    } catch (error) {
      failures.push(`${format} (${path}): ${messageOf(error)}`)
    }
  }
  return { result, written, failures }
}

function withWarning(serialized: SerializedRunResult, written: readonly string[], warning: string): RunResult {
  return createRunResult({ ...serialized, reportFiles: [...written], warnings: [...serialized.warnings, warning] })
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
