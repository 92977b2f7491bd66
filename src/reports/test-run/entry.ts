/**
 * What one load test leaves in its test run's folder beside its report
 * files: `loadspec-test.json`, naming the test, its file, its verdict (and
 * failure message) and its result. The run's index.html is rendered from
 * these, by whichever test finishes last; they are read back through a zod
 * schema, like every file loadspec reads.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import type { SerializedRunResult } from '../../result/result.js'
import { writeFileAtomically } from '../atomic-write.js'
import { serializedRunResultSchema } from '../result-schema.js'

export const TEST_ENTRY_FILE = 'loadspec-test.json'

export type LoadTestVerdict = 'passed' | 'failed'

export interface LoadTestEntry {
  readonly version: 1
  /** Tells two tests with the same name in one file apart (Vitest's task id); the full name where there is none. */
  readonly key: string
  readonly name: string
  /** Describe blocks and name: `checkout > keeps p99 under 250 ms`. */
  readonly fullName: string
  /** The test file, relative to the project root. */
  readonly file: string
  readonly verdict: LoadTestVerdict
  /** The first line(s) of the failure; undefined when it passed. */
  readonly failureMessage?: string
  readonly startedAt: string
  readonly finishedAt: string
  /** The test's report files, relative to its folder. */
  readonly reportFiles: readonly string[]
  /** Undefined when the run itself failed (a bad config, a scenario that cannot start). */
  readonly result?: SerializedRunResult
}

const entrySchema = z.object({
  version: z.literal(1),
  key: z.string(),
  name: z.string(),
  fullName: z.string(),
  file: z.string(),
  verdict: z.enum(['passed', 'failed']),
  failureMessage: z.string().optional(),
  startedAt: z.iso.datetime({ offset: true }),
  finishedAt: z.iso.datetime({ offset: true }),
  reportFiles: z.array(z.string()),
  result: serializedRunResultSchema.optional(),
}) satisfies z.ZodType<LoadTestEntry>

/** An entry with the name of the folder it was found in. */
export interface FoundEntry {
  readonly folderName: string
  readonly entry: LoadTestEntry
}

export async function writeTestEntry(testFolder: string, entry: LoadTestEntry): Promise<void> {
  await writeFileAtomically(join(testFolder, TEST_ENTRY_FILE), JSON.stringify(entry))
}

/** The entry in one test folder; undefined when there is none (yet). */
export async function readTestEntry(testFolder: string): Promise<LoadTestEntry | undefined> {
  let text: string
  try {
    text = await readFile(join(testFolder, TEST_ENTRY_FILE), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const parsed = entrySchema.safeParse(JSON.parse(text))
  if (!parsed.success) throw new Error(`${join(testFolder, TEST_ENTRY_FILE)} is not a loadspec test entry:\n${z.prettifyError(parsed.error)}`)
  return parsed.data
}

/**
 * Every entry of the run, in file order and, within a file, in the order the
 * tests started. An unreadable entry is reported, not fatal: the index still
 * shows every other test.
 */
export async function readTestEntries(runFolder: string): Promise<{ readonly found: FoundEntry[]; readonly problems: string[] }> {
  const found: FoundEntry[] = []
  const problems: string[] = []
  let names: string[]
  try {
    names = (await readdir(runFolder, { withFileTypes: true })).filter((dirent) => dirent.isDirectory()).map((dirent) => dirent.name)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { found, problems }
    throw error
  }
  for (const folderName of names) {
    try {
      const entry = await readTestEntry(join(runFolder, folderName))
      if (entry !== undefined) found.push({ folderName, entry })
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error))
    }
  }
  found.sort((a, b) => a.entry.file.localeCompare(b.entry.file) || a.entry.startedAt.localeCompare(b.entry.startedAt) || a.folderName.localeCompare(b.folderName))
  return { found, problems }
}
