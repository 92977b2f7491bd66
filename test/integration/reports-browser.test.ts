/**
 * The HTML report of a real run, opened in real headless Chromium (the one
 * npm installs with @sparticuz/chromium, driven by playwright-core; see
 * test/support/chromium.ts) started under LANG=C.UTF-8, the POSIX locale of
 * many CI images: no console error or warning, no network requests, charts
 * drawn with a real size, the scenario names and p99 values on the page,
 * both themes; then the same page under en_US and de_DE. Screenshots stay in
 * the test's temp folder (its path is annotated on the test) for a person to
 * look at.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { request } from 'undici'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { Response, Runner, Scenario, Simulation, Step, type RunResult } from '../../src/index.js'
import { formatMs } from '../../src/reports/format.js'
import { launchChromium } from '../support/chromium.js'
import { startHttpTarget, type HttpTarget } from '../support/http-target.js'

let temp: string
let target: HttpTarget
let browser: Browser
let result: RunResult
let htmlFile: string

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'loadspec-html-report-'))
  target = await startHttpTarget((n, req) =>
    req.url === '/checkout' ? { status: n % 10 === 0 ? 500 : 200, body: 'ok'.repeat(50), delayMs: n % 7 } : { status: 200, body: 'x'.repeat(2000), delayMs: 1 },
  )
  const get = async (path: string, method: 'GET' | 'POST', signal: AbortSignal) => {
    const res = await request(`${target.url}${path}`, { method, signal })
    const body = await res.body.arrayBuffer()
    return { status: res.statusCode, bytes: body.byteLength }
  }
  const checkout = Scenario.create('checkout', async (ctx) => {
    await Step.run('browse', ctx, async () => {
      const res = await get('/products', 'GET', ctx.signal)
      return Response.ok(res.status, res.bytes)
    })
    const res = await get('/checkout', 'POST', ctx.signal)
    return res.status < 400 ? Response.ok(res.status, res.bytes) : Response.fail(res.status, 'checkout failed', res.bytes)
  }).withLoadSimulations(Simulation.rampingInject(100, 1, '1s'), Simulation.inject(100, 1, '1s'))
  const search = Scenario.create('search', async (ctx) => {
    const res = await get('/search', 'GET', ctx.signal)
    return Response.ok(res.status, res.bytes)
  }).withLoadSimulations(Simulation.keepConstant(3, '2s'))
  result = await Runner.registerScenarios(checkout, search)
    .withConfigSources({ argv: [], env: {} })
    .withReportFolder(join(temp, 'load-reports'))
    .withReportFormats('html')
    .withConfig({ reportingIntervalMs: 250 })
    .run()
  htmlFile = result.reportFiles[0] ?? ''
  browser = await launchChromium({ lang: 'C.UTF-8' })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await target?.close()
})

interface OpenedPage {
  readonly page: Page
  readonly consoleErrors: string[]
  readonly requests: string[]
}

async function open(colorScheme: 'light' | 'dark', inBrowser: Browser = browser): Promise<OpenedPage> {
  const page = await inBrowser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme })
  const consoleErrors: string[] = []
  const requests: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(`${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`))
  page.on('request', (req) => requests.push(req.url()))
  await page.goto(pathToFileURL(htmlFile).href)
  return { page, consoleErrors, requests }
}

/** Every chart of the visible tab has a canvas with a real size. */
async function visibleChartSizes(page: Page): Promise<{ id: string; width: number; height: number }[]> {
  await page.waitForFunction(() => {
    const slots = Array.from(document.querySelectorAll('main > section.active [data-chart]'))
    return slots.length > 0 && slots.every((slot) => slot.querySelector('canvas') !== null)
  }, undefined, { timeout: 10_000 })
  return page.$$eval('main > section.active [data-chart]', (slots) =>
    slots.map((slot) => {
      const box = slot.querySelector('canvas')?.getBoundingClientRect()
      return { id: slot.getAttribute('data-chart') ?? '', width: box?.width ?? 0, height: box?.height ?? 0 }
    }),
  )
}

test('the HTML report opens in Chromium under LANG=C.UTF-8: no errors, no requests, charts drawn, names and p99 values shown', async ({ annotate }) => {
  expect(htmlFile).toMatch(/loadspec-report\.html$/)
  const { page, consoleErrors, requests } = await open('light')
  // The locale uPlot would have choked on: the page's guard is what makes the charts below appear.
  expect(await page.evaluate(() => Object.getPrototypeOf(navigator).constructor === Navigator && Object.getOwnPropertyDescriptor(Navigator.prototype, 'language')?.get?.call(navigator))).toBe('en-US@posix')

  const summaryCharts = await visibleChartSizes(page)
  expect(summaryCharts.map((chart) => chart.id)).toEqual(['summary-rps', 'summary-latency'])
  for (const chart of summaryCharts) {
    expect(chart.width, chart.id).toBeGreaterThan(100)
    expect(chart.height, chart.id).toBeGreaterThan(100)
  }
  for (const stats of result.scenarioStats) {
    const row = await page.locator('#summary .table-wrap tbody tr', { hasText: stats.scenarioName }).innerText()
    expect(row).toContain(stats.scenarioName)
    expect(row).toContain(formatMs(stats.ok.latencyMs.p99))
    expect(row).toContain(String(stats.ok.request.count))
  }
  await page.screenshot({ path: join(temp, 'summary-light.png'), fullPage: true })

  await page.getByRole('tab', { name: /Scenarios/ }).click()
  expect(page.url()).toMatch(/#scenarios$/)
  const scenarioCharts = await visibleChartSizes(page)
  expect(scenarioCharts).toHaveLength(3 * result.scenarioStats.length)
  for (const chart of scenarioCharts) expect(chart.width * chart.height, chart.id).toBeGreaterThan(100 * 100)
  const scenariosText = await page.locator('#scenarios').innerText()
  for (const stats of result.scenarioStats) {
    expect(scenariosText).toContain(stats.scenarioName)
    expect(scenariosText).toContain(formatMs(stats.ok.latencyMs.p99))
  }
  await page.screenshot({ path: join(temp, 'scenarios-light.png'), fullPage: true })

  // Steps, status codes and errors of the run are on their tabs.
  await page.getByRole('tab', { name: /Steps/ }).click()
  expect(await page.locator('#steps').innerText()).toContain('browse')
  await page.getByRole('tab', { name: /Status codes/ }).click()
  expect(await page.locator('#status-codes').innerText()).toMatch(/500\s+fail/)
  await page.getByRole('tab', { name: /Errors/ }).click()
  expect(await page.locator('#errors').innerText()).toContain('checkout failed')

  // The theme switch: dark background, charts drawn again in the new colours.
  const lightBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
  await page.getByRole('tab', { name: /Scenarios/ }).click()
  await page.locator('#theme-toggle').click()
  expect(await page.getAttribute('html', 'data-theme')).toBe('dark')
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(lightBackground)
  for (const chart of await visibleChartSizes(page)) expect(chart.width, chart.id).toBeGreaterThan(100)
  await page.screenshot({ path: join(temp, 'scenarios-dark.png'), fullPage: true })

  expect(consoleErrors).toEqual([])
  expect(requests).toEqual([pathToFileURL(htmlFile).href])
  await page.close()
  await annotate(`screenshots: ${temp}`)
})

test("the system's dark preference is followed without a click", async () => {
  const { page, consoleErrors } = await open('dark')
  await visibleChartSizes(page)
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(13, 17, 23)')
  expect(await page.locator('#theme-toggle').innerText()).toBe('Light theme')
  await page.screenshot({ path: join(temp, 'summary-dark.png'), fullPage: true })
  expect(consoleErrors).toEqual([])
  await page.close()
})

test.each([
  ['en_US.UTF-8', 'en-US'],
  ['de_DE.UTF-8', 'de-DE'],
])('under LANG=%s the charts are drawn too, without a console error', async (lang, language) => {
  const localBrowser = await launchChromium({ lang })
  try {
    const { page, consoleErrors } = await open('light', localBrowser)
    expect(await page.evaluate(() => navigator.language)).toBe(language)
    for (const chart of await visibleChartSizes(page)) expect(chart.width * chart.height, chart.id).toBeGreaterThan(100 * 100)
    expect(consoleErrors).toEqual([])
  } finally {
    await localBrowser.close()
  }
})
