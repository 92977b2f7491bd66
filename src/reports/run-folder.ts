/** One folder per run under the report folder, named after the run's start so folders sort by time. */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'

/** Most runs that may start within one second into one report folder before giving up. */
const MAX_SAME_SECOND_RUNS = 1000

/**
 * Creates `<root>/<start time>[-label]` (e.g. `2025-01-02T10-11-12Z`, UTC,
 * no colons so Windows accepts it) and returns its path. Runs that start in
 * the same second get `-2`, `-3`…: mkdir without `recursive` fails on an
 * existing folder, so two processes never share one.
 */
export async function createRunFolder(root: string, startedAt: string, label?: string): Promise<string> {
  const folder = await claimRunFolder(root, startedAt, label, async () => true)
  if (folder === undefined) throw new Error(`no report folder was created in ${root}`)
  return folder
}

/**
 * Finds the first free run folder name, calls `prepare(folder)` (which may
 * decline by returning false: nothing to write), and only then creates the
 * folder, so a run that has nothing to write, or is cancelled while
 * preparing, leaves no empty folder. Returns the created folder, or
 * undefined when `prepare` declined.
 */
export async function claimRunFolder(root: string, startedAt: string, label: string | undefined, prepare: (folder: string) => Promise<boolean>): Promise<string | undefined> {
  const base = label === undefined ? runFolderName(startedAt) : `${runFolderName(startedAt)}-${label}`
  for (let attempt = 1; attempt <= MAX_SAME_SECOND_RUNS; attempt++) {
    const folder = join(root, attempt === 1 ? base : `${base}-${attempt}`)
    if (existsSync(folder)) continue
    if (!(await prepare(folder))) return undefined
    await mkdir(root, { recursive: true })
    try {
      await mkdir(folder)
      return folder
    } catch (error) {
      // Another run took the name meanwhile: prepare again for the next one.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  throw new Error(`${MAX_SAME_SECOND_RUNS} report folders named ${base} already exist in ${root}; clean the report folder`)
}

export function runFolderName(startedAt: string): string {
  const date = new Date(startedAt)
  const iso = Number.isNaN(date.getTime()) ? new Date().toISOString() : date.toISOString()
  // 2025-01-02T10:11:12.345Z -> 2025-01-02T10-11-12Z
  return `${iso.slice(0, 19).replace(/:/g, '-')}Z`
}
