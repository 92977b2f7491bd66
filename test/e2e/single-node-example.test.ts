import { execFile } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const repoRoot = resolve(import.meta.dirname, '../..')
let workDir: string | undefined

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true })
})

describe('examples/single-node (the README\'s first command)', () => {
  it('loads a local server, prints the summary, writes every report and keeps its budget', async () => {
    workDir = await mkdtemp(join(tmpdir(), 'loadspec-single-node-'))
    const { stdout } = await run(process.execPath, [join(repoRoot, 'bin/loadspec.js'), 'run', join(repoRoot, 'examples/single-node/main.ts')], {
      cwd: workDir,
      // Outside a test runner, as a user runs it: the summary is printed only there.
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST'))), CI: 'true' },
      timeout: 60_000,
    })
    expect(stdout).toContain('scenario "checkout": 800 requests')
    expect(stdout).toMatch(/p99 budget 250 ms: kept/)
    const [runFolder] = await readdir(join(workDir, 'load-reports/single-node'))
    const files = await readdir(join(workDir, 'load-reports/single-node', runFolder ?? ''))
    expect(files.sort()).toEqual(['loadspec-report.csv', 'loadspec-report.html', 'loadspec-report.json', 'loadspec-report.md', 'loadspec-report.txt'])
  })
})
