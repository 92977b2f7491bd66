/** The report's stylesheet: light and dark themes from one set of variables, readable printed or without JS. */

const LIGHT: Record<string, string> = {
  bg: '#ffffff',
  fg: '#1f2328',
  muted: '#59636e',
  border: '#d1d9e0',
  panel: '#f6f8fa',
  accent: '#0969da',
  ok: '#1a7f37',
  fail: '#cf222e',
  warn: '#9a6700',
  grid: 'rgba(31, 35, 40, 0.10)',
  'chart-1': '#0969da',
  'chart-2': '#cf222e',
  'chart-3': '#1a7f37',
  'chart-4': '#8250df',
  'chart-5': '#bc4c00',
  'chart-6': '#1b7c83',
}

const DARK: Record<string, string> = {
  bg: '#0d1117',
  fg: '#e6edf3',
  muted: '#9198a1',
  border: '#3d444d',
  panel: '#151b23',
  accent: '#4493f8',
  ok: '#3fb950',
  fail: '#f85149',
  warn: '#d29922',
  grid: 'rgba(230, 237, 243, 0.12)',
  'chart-1': '#4493f8',
  'chart-2': '#f85149',
  'chart-3': '#3fb950',
  'chart-4': '#ab7df8',
  'chart-5': '#f0883e',
  'chart-6': '#39c5cf',
}

/** How many chart colours the palette has; series beyond it reuse them in order. */
export const CHART_COLOR_COUNT = 6

function variables(theme: Record<string, string>): string {
  return Object.entries(theme)
    .map(([name, value]) => `--${name}: ${value};`)
    .join(' ')
}

export const REPORT_CSS = `
:root { ${variables(LIGHT)} color-scheme: light; }
@media (prefers-color-scheme: dark) { :root:not([data-theme="light"]) { ${variables(DARK)} color-scheme: dark; } }
:root[data-theme="dark"] { ${variables(DARK)} color-scheme: dark; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 16px; padding: 16px 24px 8px; }
header h1 { margin: 0; font-size: 20px; }
header .meta { color: var(--muted); }
header .spacer { flex: 1; }
button { font: inherit; color: var(--fg); background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 4px 10px; cursor: pointer; }
nav.tabs { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: 2px; padding: 0 24px; background: var(--bg); border-bottom: 1px solid var(--border); }
nav.tabs a { padding: 8px 12px; color: var(--muted); text-decoration: none; border-bottom: 2px solid transparent; }
nav.tabs a[aria-selected="true"] { color: var(--fg); border-bottom-color: var(--accent); font-weight: 600; }
nav.tabs .badge { display: inline-block; min-width: 18px; padding: 0 5px; margin-left: 4px; border-radius: 9px; background: var(--panel); border: 1px solid var(--border); font-size: 12px; text-align: center; }
nav.tabs .badge.warn { color: var(--warn); border-color: var(--warn); }
main { padding: 8px 24px 48px; max-width: 1280px; }
.js main > section[data-tab]:not(.active) { display: none; }
section > h2 { margin: 20px 0 8px; font-size: 18px; }
article { margin: 12px 0 28px; }
article h3 { margin: 16px 0 8px; font-size: 16px; }
article h4 { margin: 12px 0 6px; font-size: 14px; color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin: 12px 0; }
.card { background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 8px 12px; }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 6px 0 12px; font-variant-numeric: tabular-nums; }
caption { caption-side: bottom; text-align: left; padding-top: 4px; font-size: 12px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--border); text-align: left; white-space: nowrap; }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
td.num, th.num { text-align: right; }
td.message { white-space: normal; max-width: 640px; overflow-wrap: anywhere; }
tbody tr:nth-child(even) { background: var(--panel); }
.ok { color: var(--ok); }
.fail { color: var(--fail); }
.warn { color: var(--warn); }
.note { color: var(--muted); }
.banner { padding: 8px 12px; border: 1px solid var(--warn); border-radius: 8px; color: var(--warn); margin: 12px 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; margin: 12px 0; }
.chart { min-width: 0; min-height: 300px; background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 8px; }
.chart .u-title { font-size: 13px; font-weight: 600; color: var(--fg); }
.chart .u-legend { font-size: 12px; color: var(--fg); }
.no-js-note { color: var(--muted); font-size: 12px; }
.js .no-js-note { display: none; }
ul.warnings li { margin: 4px 0; }
@media print { nav.tabs, #theme-toggle { display: none; } .js main > section[data-tab]:not(.active) { display: block; } }
`
