/**
 * `loadspec report`: re-renders reports from saved JSON results, and merges
 * several results into one exactly (histograms added, as the coordinator of
 * a cluster does), e.g. runs of agents that were started by hand.
 */
import { mkdir, readFile } from 'node:fs/promises'
import { basename, dirname, extname, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { REPORT_FORMATS, type ReportFormat } from '../config/constants.js'
import { compareRuns } from '../reports/baseline/compare-runs.js'
import { createRunFolder } from '../reports/run-folder.js'
import { parseRunResultJson } from '../reports/result-schema.js'
import { reportFilePath, writeReportFiles } from '../reports/write.js'
import { mergeRunResults } from '../result/merge.js'
import type { SerializedRunResult } from '../result/result.js'

export const REPORT_USAGE = `usage: loadspec report <result.json>... [--format=html,md] [--merge] [--out=<folder>]
       loadspec report --compare <base.json> <new.json>

Renders reports from JSON results that runs wrote (report format "json").
  --format  formats to write: ${REPORT_FORMATS.join(', ')}
            (default: html, md, txt, csv; with --merge json too)
  --merge   merge the results into one (histograms added, so percentiles are exact)
  --out     folder to write into (default: next to each input; with --merge
            a new folder load-reports/<start time>-merged)
  --compare compare new.json with base.json as toMatchLoadBaseline does (ok
            p50/p95/p99, fail rate, rps); exit code 1 when a figure regressed`

/** Prints the paths written, one a line; exit code 2 for bad usage. Throws on unreadable or invalid input. */
export async function reportCommand(args: readonly string[], cwd = process.cwd()): Promise<number> {
  let options: ReportCliOptions
  try {
    options = parseReportArgs(args)
  } catch (error) {
    console.error(`loadspec report: ${error instanceof Error ? error.message : String(error)}\n\n${REPORT_USAGE}`)
    return 2
  }
  if (options.help) {
    console.log(REPORT_USAGE)
    return 0
  }
  const inputs = await Promise.all(options.files.map(async (file) => ({ path: resolve(cwd, file), result: await readResult(resolve(cwd, file)) })))
  if (options.compare) {
    const [base, now] = inputs as [Input, Input]
    const comparison = compareRuns(base.result, now.result, displayPath(base.path, cwd), displayPath(now.path, cwd))
    for (const line of comparison.lines) console.log(line)
    return comparison.regressed ? 1 : 0
  }
  const written = options.merge ? await renderMerged(inputs, options, cwd) : await renderEach(inputs, options, cwd)
  for (const path of written) console.log(displayPath(path, cwd))
  return 0
}

interface ReportCliOptions {
  readonly files: string[]
  readonly formats: ReportFormat[] | undefined
  readonly merge: boolean
  readonly compare: boolean
  readonly out: string | undefined
  readonly help: boolean
}

export function parseReportArgs(args: readonly string[]): ReportCliOptions {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      format: { type: 'string' },
      merge: { type: 'boolean', default: false },
      compare: { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
    strict: true,
  })
  if (values.help) return { files: [], formats: undefined, merge: false, compare: false, out: undefined, help: true }
  if (positionals.length === 0) throw new Error('give at least one JSON result, e.g. loadspec report load-reports/<run>/loadspec-report.json')
  if (values.merge && positionals.length < 2) throw new Error(`--merge needs two or more results, got ${positionals.length}`)
  if (values.compare && (positionals.length !== 2 || values.merge)) throw new Error(`--compare takes two results, the baseline first (and no --merge), got ${positionals.length}`)
  return {
    files: positionals,
    formats: values.format === undefined ? undefined : parseFormats(values.format),
    merge: values.merge,
    compare: values.compare,
    out: values.out,
    help: false,
  }
}

function parseFormats(text: string): ReportFormat[] {
  const requested = text
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '')
  const unknown = requested.filter((entry) => !(REPORT_FORMATS as readonly string[]).includes(entry))
  if (unknown.length > 0 || requested.length === 0) {
    throw new Error(`--format takes a comma-separated list of ${REPORT_FORMATS.join(', ')}; got "${text}"`)
  }
  return [...new Set(requested as ReportFormat[])]
}

interface Input {
  readonly path: string
  readonly result: SerializedRunResult
}

async function readResult(path: string): Promise<SerializedRunResult> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new Error(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error })
  }
  return parseRunResultJson(text, path)
}

async function renderMerged(inputs: readonly Input[], options: ReportCliOptions, cwd: string): Promise<string[]> {
  const merged = mergeRunResults(inputs.map((input) => input.result))
  const folder = options.out === undefined ? await createRunFolder(resolve(cwd, 'load-reports'), merged.startedAt, 'merged') : await outFolder(options.out, cwd)
  return writeReportFiles(merged, folder, options.formats ?? [...REPORT_FORMATS])
}

/** Each result on its own, named after its input; an input is never overwritten. */
async function renderEach(inputs: readonly Input[], options: ReportCliOptions, cwd: string): Promise<string[]> {
  const formats = options.formats ?? REPORT_FORMATS.filter((format) => format !== 'json')
  const targets = inputs.map((input) => ({
    input,
    folder: options.out === undefined ? dirname(input.path) : resolve(cwd, options.out),
    baseName: basename(input.path, extname(input.path)),
  }))
  const seen = new Map<string, string>()
  for (const target of targets) {
    const key = resolve(target.folder, target.baseName)
    const other = seen.get(key)
    if (other !== undefined) {
      throw new Error(`${other} and ${target.input.path} would write the same report files in ${target.folder}; render them one at a time, or use --merge`)
    }
    seen.set(key, target.input.path)
  }
  if (options.out !== undefined) await outFolder(options.out, cwd)
  const written: string[] = []
  for (const { input, folder, baseName } of targets) {
    const safeFormats = formats.filter((format) => reportFilePath(folder, format, baseName) !== input.path)
    written.push(...(await writeReportFiles(input.result, folder, safeFormats, baseName)))
  }
  return written
}

async function outFolder(out: string, cwd: string): Promise<string> {
  const folder = resolve(cwd, out)
  await mkdir(folder, { recursive: true })
  return folder
}

function displayPath(path: string, cwd: string): string {
  const fromCwd = relative(cwd, path)
  return fromCwd.startsWith('..') ? path : fromCwd
}
