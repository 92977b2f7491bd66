/**
 * The HTML report: one self-contained file. The chart library, the styles,
 * the data and the script are inlined, and a Content-Security-Policy forbids
 * every fetch, so opening the page makes no network request at all.
 */
import type { RunResult } from '../../result/result.js'
import { formatDuration } from '../format.js'
import { chartLibrary } from './assets.js'
import { buildCharts } from './chart-data.js'
import { CLIENT_HOOKS, reportClient } from './client.js'
import { escapeHtml, inlineScript, jsonForScript } from './escape.js'
import { guardNavigatorLanguage } from './locale-guard.js'
import { reportSections } from './sections.js'
import { CHART_COLOR_COUNT, REPORT_CSS } from './style.js'

// Inline scripts and styles only: the browser itself refuses any fetch, so "no network requests" holds by construction.
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"

export function renderHtml(result: RunResult): string {
  const library = chartLibrary()
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
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="generator" content="loadspec">
<title>${escapeHtml(title)}</title>
<style>${library.css}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<header><h1>loadspec report</h1><span class="meta">${escapeHtml(meta)}</span><span class="spacer"></span><button type="button" id="${CLIENT_HOOKS.themeButtonId}">Theme</button></header>
<nav class="tabs" role="tablist">${nav}</nav>
<main>
${body}
</main>
<script type="application/json" id="${CLIENT_HOOKS.chartDataId}">${jsonForScript(buildCharts(result))}</script>
<script>(${inlineScript(guardNavigatorLanguage.toString())})();</script>
<script>${inlineScript(library.script)}</script>
<script>(${inlineScript(reportClient.toString())})(${jsonForScript(CLIENT_HOOKS)}, ${CHART_COLOR_COUNT});</script>
</body>
</html>
`
}
