/**
 * A run killed while it writes its reports leaves no cut report behind: a
 * child process (the built package, as a user runs it) writes a large JSON
 * report and SIGKILLs itself as soon as the report's file shows up in the
 * folder, halfway through the write. Before atomic writes this left a
 * 0-byte or cut loadspec-report.json that `loadspec report` rejects.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { sampleSerializedResult } from '../unit/reports-fixtures.js'
import { repoRoot, runProcess } from '../support/vitest-cli.js'

let temp: string
beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'loadspec-cancelled-'))
})
afterAll(async () => {
  await rm(temp, { recursive: true, force: true })
})

// Checks between the chunks fs.promises.writeFile writes (512 KiB each, an await apiece) and dies at the first sight of the file.
const CHILD = `
import { readdirSync, readFileSync } from 'node:fs'
import { writeRunReports } from ${JSON.stringify(join(repoRoot, 'dist/src/reports/write.js'))}
const [input, root] = process.argv.slice(-2)
const seen = () => {
  try {
    return readdirSync(root, { recursive: true }).some((name) => String(name).includes('loadspec-report'))
  } catch {
    return false // the report folder is made only when the first file is about to be written
  }
}
const watch = () => {
  if (seen()) process.kill(process.pid, 'SIGKILL')
  setImmediate(watch)
}
setImmediate(watch)
await writeRunReports(JSON.parse(readFileSync(input, 'utf8')), { reportFolder: root, formats: ['json'] })
console.log('WRITTEN WHOLE')
`

test('killed mid-write: the report either is whole or is not there, never cut', async () => {
  const serialized = await sampleSerializedResult()
  // ~8 MB of JSON: sixteen chunks, so the child sees its file while it is being written.
  const input = join(temp, 'input.json')
  await writeFile(input, JSON.stringify({ ...serialized, warnings: ['x'.repeat(8_000_000)] }))
  const root = join(temp, 'load-reports')
  const child = await runProcess(['--input-type=module', '-e', CHILD, input, root], { cwd: temp, timeoutMs: 60_000 })
  expect(child.stdout, child.output).not.toContain('WRITTEN WHOLE')
  expect(child.exitCode).toBeNull()

  const files = (await readdir(root, { recursive: true })).map(String)
  // What the kill left: the run folder and a hidden temporary file, no loadspec-report.json.
  expect(files.filter((name) => /(^|\/)loadspec-report\./.test(name))).toEqual([])
  expect(files.some((name) => /\/\.loadspec-report\.json\.\d+-[0-9a-f]+\.tmp$/.test(name))).toBe(true)
})
