/**
 * The HTML report: one self-contained file. The chart library, the styles,
 * the data and the script are inlined, and a Content-Security-Policy forbids
 * every fetch, so opening the page makes no network request at all.
 */
import type { RunResult } from '../../result/result.js'
import { formatDuration } from '../format.js'
import { chartLibrary } from './assets.js'
import { buildCharts, type ChartSpec } from './chart-data.js'
import { CLIENT_HOOKS, reportClient } from './client.js'
import { escapeHtml, inlineScript, jsonForScript } from './escape.js'
import { guardNavigatorLanguage } from './locale-guard.js'
import { reportSections } from './sections.js'
import { CHART_COLOR_COUNT, REPORT_CSS } from './style.js'

// Inline scripts and styles only: the browser itself refuses any fetch, so "no network requests" holds by construction.
export const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"

export function renderHtml(result: RunResult): string {
  const sections = reportSections(result)
  const names = result.scenarioStats.map((stats) => stats.scenarioName)
  const title = `loadspec report: ${names.join(', ') || 'no scenarios'} (${result.startedAt})`
  const nav = sections
    .map((section) => {
      const badge = section.badge === undefined ? '' : `<span class="badge${section.badge.warn ? ' warn' : ''}">${escapeHtml(section.badge.text)}</span>`
      return `<a href="#${section.id}" role="tab">${escapeHtml(section.title)}${badge}</a>`
    })
    .join('')
  const body = sections.map((section) => `<section id="${section.id}" ${CLIENT_HOOKS.tabAttribute}>\n${section.html}\n</section>`).join('\n')
  const meta = `started ${result.startedAt} · ${formatDuration(result.durationMs)} · ${result.nodes.length} node${result.nodes.length === 1 ? '' : 's'}`
  return renderPage({ title, heading: 'loadspec report', meta, nav: `<nav class="tabs" role="tablist">${nav}</nav>`, main: body, charts: buildCharts(result) })
}

/** The frame every report page shares: head, header with the theme switch, main, chart data and scripts. */
export interface PageParts {
  readonly title: string
  readonly heading: string
  readonly meta: string
  /** Markup between the header and main (the tabs). */
  readonly nav?: string
  readonly main: string
  readonly charts: readonly ChartSpec[]
  /** Styles of this page only, after the shared ones. */
  readonly css?: string
}

export function renderPage(parts: PageParts): string {
  const library = chartLibrary()
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="generator" content="loadspec">
<title>${escapeHtml(parts.title)}</title>
<style>${library.css}</style>
<style>${REPORT_CSS}${parts.css ?? ''}</style>
</head>
<body>
<header><h1>${escapeHtml(parts.heading)}</h1><span class="meta">${escapeHtml(parts.meta)}</span><span class="spacer"></span><button type="button" id="${CLIENT_HOOKS.themeButtonId}">Theme</button></header>
${parts.nav ?? ''}
<main>
${parts.main}
</main>
<script type="application/json" id="${CLIENT_HOOKS.chartDataId}">${jsonForScript(parts.charts)}</script>
<script>(${inlineScript(guardNavigatorLanguage.toString())})();</script>
<script>${inlineScript(library.script)}</script>
<script>(${inlineScript(reportClient.toString())})(${jsonForScript(CLIENT_HOOKS)}, ${CHART_COLOR_COUNT});</script>
</body>
</html>
`
}
