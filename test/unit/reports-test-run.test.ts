/** A test run's report: folder names, entries read back through their schema, and an index that names every test. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { readTestEntries, testFolderName, updateTestRunIndex, writeTestEntry, type LoadTestEntry } from '../../src/reports/test-run/index.js'
import { sampleSerializedResult } from './reports-fixtures.js'

let temp: string
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'loadspec-test-run-'))
})
afterEach(async () => {
  await rm(temp, { recursive: true, force: true })
})

function entry(name: string, overrides: Partial<LoadTestEntry> = {}): LoadTestEntry {
  return { version: 1, key: name, name, fullName: name, file: 'load/a.load.test.ts', verdict: 'passed', startedAt: '2025-03-04T05:06:07.000Z', finishedAt: '2025-03-04T05:06:09.000Z', reportFiles: [], ...overrides }
}

describe('test folder names', () => {
  test('a slug of the full name and 8 hex of a hash of file and full name', () => {
    expect(testFolderName('Checkout > keeps p99 under 250 ms', 'load/checkout.load.test.ts')).toMatch(/^checkout-keeps-p99-under-250-ms-[0-9a-f]{8}$/)
    expect(testFolderName('Café — ünïcode', 'a.ts')).toMatch(/^cafe-unicode-[0-9a-f]{8}$/)
    expect(testFolderName('***', 'a.ts')).toMatch(/^load-test-[0-9a-f]{8}$/)
    expect(testFolderName('x'.repeat(200), 'a.ts')).toHaveLength(60 + 9)
  })

  test('the same name in two files gets two folders; the same test gets the same folder every run', () => {
    expect(testFolderName('t', 'a.ts')).not.toBe(testFolderName('t', 'b.ts'))
    expect(testFolderName('t', 'a.ts')).toBe(testFolderName('t', 'a.ts'))
  })
})

describe('the index', () => {
  test('names every test even when all of them finish at once', async () => {
    const names = ['one', 'two', 'three', 'four', 'five', 'six']
    await Promise.all(
      names.map(async (name, index) => {
        const folder = join(temp, name)
        await mkdir(folder)
        await writeTestEntry(folder, entry(name, { startedAt: `2025-03-04T05:06:0${index}.000Z` }))
        await updateTestRunIndex(temp)
      }),
    )
    const html = await readFile(join(temp, 'index.html'), 'utf8')
    for (const name of names) expect(html).toContain(`>${name}</a>`)
    expect(html).toContain('6 load tests · 6 passed · 0 failed')
  })

  test('shows a failed test with its message and its result; a broken entry is listed as a problem, not fatal', async () => {
    await mkdir(join(temp, 'bad'))
    await writeTestEntry(join(temp, 'bad'), entry('bad one', { verdict: 'failed', failureMessage: 'p99 <over> budget', result: await sampleSerializedResult() }))
    await mkdir(join(temp, 'broken'))
    await writeFile(join(temp, 'broken', 'loadspec-test.json'), JSON.stringify({ version: 1, name: 3 }))
    const { found, problems } = await readTestEntries(temp)
    expect(found.map((item) => item.folderName)).toEqual(['bad'])
    expect(problems[0]).toMatch(/broken.loadspec-test\.json is not a loadspec test entry/)
    const html = await readFile(await updateTestRunIndex(temp), 'utf8')
    expect(html).toContain('<pre class="failure">p99 &lt;over&gt; budget</pre>')
    expect(html).toContain('class="fail verdict"')
    expect(html).toContain('data-chart="test-0-summary-rps"')
    expect(html).toContain('is not a loadspec test entry')
  })
})
