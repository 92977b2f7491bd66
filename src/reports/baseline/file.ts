/**
 * `__load_baselines__/<test file>.json`: one file per test file, beside it,
 * keyed by test name and scenario, written as stable JSON (keys sorted, two
 * spaces, one trailing newline) so that a review shows only what changed.
 * Sync I/O: a matcher is synchronous, and a file is a few KB.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import type { ScenarioBaseline } from './compare.js'

export const BASELINE_FOLDER = '__load_baselines__'

export interface BaselineFile {
  readonly version: 1
  /** Test name → scenario name → baseline. */
  readonly tests: Record<string, Record<string, ScenarioBaseline>>
}

const figure = z.number().finite().nonnegative()
const scenarioBaselineSchema = z.object({
  okCount: figure,
  failCount: figure,
  failRate: z.number().min(0).max(1),
  rps: figure,
  p50Ms: figure,
  p95Ms: figure,
  p99Ms: figure,
  okLatencyHistogram: z.string().regex(/^HIST[A-Za-z0-9+/]*={0,2}$/),
})
const baselineFileSchema = z.object({ version: z.literal(1), tests: z.record(z.string(), z.record(z.string(), scenarioBaselineSchema)) })

export function baselineFilePath(testFilePath: string): string {
  return join(dirname(testFilePath), BASELINE_FOLDER, `${basename(testFilePath)}.json`)
}

/** The file's baselines; an empty set when there is no file yet. Throws, naming the file, when it is not a baseline file. */
export function readBaselineFile(path: string): BaselineFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, tests: {} }
    throw error
  }
  const parsed = baselineFileSchema.safeParse(safeJson(text))
  if (!parsed.success) {
    throw new Error(`${path} is not a loadspec baseline file (${parsed.error.issues[0]?.message ?? 'bad JSON'}); fix it, or delete it and run again to write a new one`)
  }
  return parsed.data
}

export function writeBaselineFile(path: string, file: BaselineFile): void {
  mkdirSync(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}.tmp`
  writeFileSync(temporary, `${JSON.stringify(sortedKeys(file), null, 2)}\n`, 'utf8')
  renameSync(temporary, path)
}

/** A baseline file left with no entry goes, as a snapshot file does when its last snapshot is removed. */
export function removeBaselineFile(path: string): void {
  rmSync(path, { force: true })
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** The same value with every object's keys in order: one baseline, one text. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  )
}
