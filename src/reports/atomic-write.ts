/**
 * A report file appears whole or not at all: its content goes to a hidden
 * temporary name in the same folder, then a rename (atomic on one file
 * system) gives it its name. A run cancelled mid-write leaves at most a
 * `.loadspec-*.tmp` file, never a 0-byte or cut `loadspec-report.json` that
 * `loadspec report` would reject.
 */
import { randomBytes } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export async function writeFileAtomically(path: string, content: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
  try {
    await writeFile(temporary, content, 'utf8')
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}
