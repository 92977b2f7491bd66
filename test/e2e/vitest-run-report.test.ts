/**
 * One report per test run: `vitest run` of a fixture with three load tests
 * in two files, one failing, writes one run folder holding a folder per load
 * test (named after it: slug + short hash) and an index.html naming all
 * three. The index is opened in Chromium under LANG=C.UTF-8: no console
 * error, every chart drawn, the names and the failure on the page.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parseRunResultJson } from '../../src/reports/result-schema.js'
import { launchChromium } from '../support/chromium.js'
import { fixturesDir, runVitest, testsByTitle, type VitestRun } from '../support/vitest-cli.js'

const fixture = join(fixturesDir, 'vitest-run-report')
const TESTS = [
  { file: 'checkout.load.test.ts', fullName: 'checkout keeps p99 under 1 s', title: 'checkout keeps p99 under 1 s', slug: 'checkout-keeps-p99-under-1-s' },
  { file: 'checkout.load.test.ts', fullName: 'search > search has no failed request', title: 'search has no failed request', slug: 'search-search-has-no-failed-request' },
  { file: 'health.load.test.ts', fullName: 'health answers', title: 'health answers', slug: 'health-answers' },
] as const

let temp = ''
let run: VitestRun
let runFolder = ''

/** The folder name, computed here from the test's file and full name. */
function folderOf(entry: (typeof TESTS)[number]): string {
  return `${entry.slug}-${createHash('sha256').update(`${entry.file}\u0000${entry.fullName}`).digest('hex').slice(0, 8)}`
}

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'loadspec-run-report-'))
  run = await runVitest([], { cwd: fixture, env: { LOADSPEC_REPORT_FOLDER: join(temp, 'load-reports') }, json: true })
  const folders = existsSync(join(temp, 'load-reports')) ? readdirSync(join(temp, 'load-reports')) : []
  runFolder = join(temp, 'load-reports', folders[0] ?? 'missing')
}, 120_000)

afterAll(() => {
  if (temp !== '') rmSync(temp, { recursive: true, force: true })
})

describe('a test run with three load tests, one failing', () => {
  test('writes one run folder: index.html and one folder per load test, named after it', () => {
    expect(run.exitCode, run.output).toBe(1)
    expect(readdirSync(join(temp, 'load-reports'))).toHaveLength(1)
    expect(readdirSync(runFolder).sort()).toEqual(['index.html', ...TESTS.map(folderOf)].sort())
    for (const entry of TESTS) {
      expect(readdirSync(join(runFolder, folderOf(entry))).sort()).toEqual(['loadspec-report.html', 'loadspec-report.json', 'loadspec-test.json'])
    }
  })

  test('task.meta.loadspec and the annotation name the test\'s files and the run\'s index', () => {
    const tests = testsByTitle(run.report)
    for (const entry of TESTS) {
      const folder = join(runFolder, folderOf(entry))
      const meta = tests.get(entry.title)?.meta['loadspec'] as { reportFiles: string[]; runReport: string } | undefined
      expect(meta?.reportFiles).toEqual([join(folder, 'loadspec-report.html'), join(folder, 'loadspec-report.json')])
      expect(meta?.runReport).toBe(join(runFolder, 'index.html'))
      expect(run.stdout).toContain(`↳ report: ${join(folder, 'loadspec-report.html')} · run: ${join(runFolder, 'index.html')}`)
    }
    expect(tests.get('search has no failed request')?.status).toBe('failed')
  })

  test('the index opens in Chromium under LANG=C.UTF-8 and shows every test, its file, verdict and failure, with its charts', async ({ annotate }) => {
    // The failure as the test's own result counts it: every 4th of 40 requests failed.
    const search = parseRunResultJson(readFileSync(join(runFolder, folderOf(TESTS[1]), 'loadspec-report.json'), 'utf8'), 'search report')
    const failed = search.scenarios[0]?.fail.count
    expect(failed).toBe(10)

    const browser = await launchChromium({ lang: 'C.UTF-8' })
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      const consoleErrors: string[] = []
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(`${message.type()}: ${message.text()}`)
      })
      page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`))
      await page.goto(pathToFileURL(join(runFolder, 'index.html')).href)

      const rows = await page.locator('#tests tbody tr').allInnerTexts()
      expect(rows).toHaveLength(3)
      for (const [index, entry] of TESTS.entries()) {
        expect(rows[index]).toContain(entry.fullName)
        expect(rows[index]).toContain(entry.file)
        expect(rows[index]).toContain(index === 1 ? 'failed' : 'passed')
      }
      const failure = await page.locator(`#test-${folderOf(TESTS[1])} pre.failure`).innerText()
      expect(failure).toContain(`expected scenario "search" to have 0 failed requests, but it has ${failed}`)
      expect(await page.locator('pre.failure').count()).toBe(1)

      await page.waitForFunction(() => document.querySelectorAll('[data-chart] canvas').length === 6, undefined, { timeout: 10_000 })
      const sizes = await page.$$eval('[data-chart]', (slots) => slots.map((slot) => slot.querySelector('canvas')?.getBoundingClientRect() ?? { width: 0, height: 0 }))
      for (const size of sizes) {
        expect(size.width).toBeGreaterThan(100)
        expect(size.height).toBeGreaterThan(100)
      }
      // Each test's own report is one relative link away.
      await page.locator(`#test-${folderOf(TESTS[2])} a`, { hasText: 'loadspec-report.html' }).click()
      expect(page.url()).toBe(pathToFileURL(join(runFolder, folderOf(TESTS[2]), 'loadspec-report.html')).href)
      await page.goBack()
      await page.screenshot({ path: join(temp, 'index.png'), fullPage: true })
      expect(consoleErrors).toEqual([])
      await annotate(`screenshot: ${join(temp, 'index.png')} (removed after the run)`)
    } finally {
      await browser.close()
    }
  })
})

test('a run whose load tests are all filtered out leaves no report folder at all', async () => {
  const reports = join(temp, 'none')
  const filtered = await runVitest(['-t', 'no test has this name'], { cwd: fixture, env: { LOADSPEC_REPORT_FOLDER: reports } })
  expect(filtered.output).not.toContain('✓ ')
  expect(existsSync(reports)).toBe(false)
}, 60_000)
