/**
 * The report page's own script: tabs, the light/dark switch and the charts.
 * `reportClient` is embedded into the page as source text
 * (`reportClient.toString()`), so it must stand alone: no imports, no
 * module-level helpers, only the browser and the inlined uPlot global.
 * Everything else on the page is static HTML that reads fine without it.
 */
import type uPlotType from 'uplot'
import type { ChartSpec } from './chart-data.js'

/** The global that uPlot's IIFE build defines; present in the page, absent here. */
declare const uPlot: typeof uPlotType

/** Element ids and attributes shared by the page (page.ts) and the script. */
export const CLIENT_HOOKS = {
  chartDataId: 'loadspec-charts',
  themeButtonId: 'theme-toggle',
  chartAttribute: 'data-chart',
  tabAttribute: 'data-tab',
} as const

export function reportClient(hooks: typeof CLIENT_HOOKS, colorCount: number): void {
  const root = document.documentElement
  root.classList.add('js')
  const specs = new Map<string, ChartSpec>()
  const dataElement = document.getElementById(hooks.chartDataId)
  for (const spec of JSON.parse(dataElement?.textContent ?? '[]') as ChartSpec[]) specs.set(spec.id, spec)
  const charts = new Map<HTMLElement, uPlotType>()
  const CHART_HEIGHT = 240

  // Theme: the user's last choice, else the system's.
  const themeButton = document.getElementById(hooks.themeButtonId)
  const storedTheme = readStoredTheme()
  if (storedTheme !== undefined) root.dataset.theme = storedTheme
  const currentTheme = (): 'light' | 'dark' =>
    root.dataset.theme === 'dark' || (root.dataset.theme !== 'light' && window.matchMedia('(prefers-color-scheme: dark)').matches) ? 'dark' : 'light'
  const labelThemeButton = (): void => {
    if (themeButton !== null) themeButton.textContent = currentTheme() === 'dark' ? 'Light theme' : 'Dark theme'
  }
  labelThemeButton()
  themeButton?.addEventListener('click', () => {
    root.dataset.theme = currentTheme() === 'dark' ? 'light' : 'dark'
    try {
      localStorage.setItem('loadspec-theme', root.dataset.theme)
    } catch {
      // Storage may be off for file:// pages; the switch still works for this visit.
    }
    labelThemeButton()
    redrawCharts()
  })
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    labelThemeButton()
    redrawCharts()
  })

  // Tabs: one section at a time; the URL hash keeps the place on reload.
  // Array.from: the project's lib has DOM but not DOM.Iterable.
  const sections = Array.from(document.querySelectorAll<HTMLElement>(`main > section[${hooks.tabAttribute}]`))
  const tabLinks = Array.from(document.querySelectorAll<HTMLAnchorElement>('nav.tabs a'))
  const showTab = (id: string): void => {
    const target = sections.find((section) => section.id === id) ?? sections[0]
    // A page without tabs (a test run's index) shows everything at once.
    if (target === undefined) {
      drawVisibleCharts()
      return
    }
    for (const section of sections) section.classList.toggle('active', section === target)
    for (const link of tabLinks) link.setAttribute('aria-selected', String(link.getAttribute('href') === `#${target.id}`))
    drawVisibleCharts()
  }
  for (const link of tabLinks) {
    link.addEventListener('click', (event) => {
      event.preventDefault()
      const id = (link.getAttribute('href') ?? '').slice(1)
      history.replaceState(null, '', `#${id}`)
      showTab(id)
    })
  }
  window.addEventListener('hashchange', () => showTab(location.hash.slice(1)))

  // Charts are drawn when their section is first shown: a hidden element has no width to draw into.
  const resizer = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const chart = charts.get(entry.target as HTMLElement)
      const width = Math.floor(entry.contentRect.width)
      if (chart !== undefined && width > 0 && width !== chart.width) chart.setSize({ width, height: CHART_HEIGHT })
    }
  })

  showTab(location.hash.slice(1))

  function drawVisibleCharts(): void {
    for (const element of Array.from(document.querySelectorAll<HTMLElement>(`[${hooks.chartAttribute}]`))) {
      if (charts.has(element) || element.offsetParent === null) continue
      const spec = specs.get(element.getAttribute(hooks.chartAttribute) ?? '')
      if (spec === undefined) continue
      charts.set(element, drawChart(element, spec))
      resizer.observe(element)
    }
  }

  function redrawCharts(): void {
    for (const [element, chart] of charts) {
      chart.destroy()
      resizer.unobserve(element)
    }
    charts.clear()
    drawVisibleCharts()
  }

  function drawChart(element: HTMLElement, spec: ChartSpec): uPlotType {
    const style = getComputedStyle(root)
    const color = (name: string): string => style.getPropertyValue(`--${name}`).trim()
    const isPercentile = spec.xAxis === 'percentile'
    const axisStyle = { stroke: color('muted'), grid: { stroke: color('grid'), width: 1 }, ticks: { stroke: color('grid'), width: 1 } }
    const formatX = (x: number): string => (isPercentile ? percentileLabel(x) : `${x.toFixed(1)} s`)
    const unit = spec.yLabel === 'ms' ? ' ms' : '/s'
    const lastX = spec.xs[spec.xs.length - 1] ?? 1
    const options: uPlotType.Options = {
      title: spec.title,
      width: Math.max(200, Math.floor(element.clientWidth)),
      height: CHART_HEIGHT,
      scales: {
        // The percentile axis is fixed from p0 (x = 1) to the finest percentile measured.
        x: isPercentile ? { time: false, distr: 3, log: 10, range: () => [1, Math.max(2, lastX)] } : { time: false },
        y: { range: (_chart, _min, max) => [0, max !== null && max > 0 ? max * 1.08 : 1] },
      },
      axes: [
        {
          ...axisStyle,
          label: isPercentile ? 'percentile' : 'seconds since load start',
          // filter keeps every split: uPlot's default for log axes blanks those between powers of ten (p50, p75).
          ...(isPercentile
            ? { splits: () => percentileSplits(lastX), filter: (_chart: uPlotType, splits: number[]) => splits, values: (_chart: uPlotType, splits: number[]) => splits.map(percentileLabel) }
            : {}),
        },
        { ...axisStyle, label: spec.yLabel, size: 64, values: (_chart, splits) => splits.map(compactNumber) },
      ],
      series: [
        { label: isPercentile ? 'percentile' : 'time', value: (_chart, x) => (x === null ? '–' : formatX(x)) },
        ...spec.series.map((series, index) => ({
          label: series.label,
          stroke: color(`chart-${(index % colorCount) + 1}`),
          width: 2,
          points: { show: !isPercentile && spec.xs.length < 60 },
          value: (_chart: uPlotType, y: number | null) => (y === null ? '–' : `${y.toFixed(2)}${unit}`),
        })),
      ],
    }
    const data: uPlotType.AlignedData = [spec.xs as number[], ...spec.series.map((series) => series.values as (number | null)[])]
    return new uPlot(options, data, element)
  }

  /** p0, p50, p75, then p90, p99, p99.9… as far as the data reaches. */
  function percentileSplits(lastX: number): number[] {
    // p50 and p75 only while they have room: a long tail squeezes the first decade.
    const splits = lastX <= 1000 ? [1, 2, 4] : [1]
    for (let x = 10; x <= lastX * 1.0001; x *= 10) splits.push(x)
    return splits.filter((x) => x <= Math.max(2, lastX))
  }

  /** 1500 -> "1.5k", 2000000 -> "2M": axis labels stay narrow. */
  function compactNumber(value: number): string {
    const magnitude = Math.abs(value)
    if (magnitude >= 1e6) return `${Number((value / 1e6).toFixed(1))}M`
    if (magnitude >= 1e4) return `${Number((value / 1e3).toFixed(1))}k`
    return String(Number(value.toFixed(2)))
  }

  /** x = 1 / (1 - p): 1 is p0, 10 is p90, 100 is p99. */
  function percentileLabel(x: number): string {
    const p = 100 * (1 - 1 / x)
    return `${Number(p.toFixed(p >= 99.9 ? 4 : p >= 99 ? 2 : 1))}%`
  }

  function readStoredTheme(): 'light' | 'dark' | undefined {
    try {
      const stored = localStorage.getItem('loadspec-theme')
      return stored === 'light' || stored === 'dark' ? stored : undefined
    } catch {
      return undefined
    }
  }
}
