/** Small builders for the report's markup; every text passes through escapeHtml here. */
import { escapeHtml } from './escape.js'

export interface Column {
  readonly title: string
  /** Right-aligned, tabular figures. */
  readonly numeric?: boolean
}

export interface Cell {
  readonly text: string
  readonly className?: string
  /** Makes the text a link (a page-relative URL or `#anchor`). */
  readonly href?: string
}

export type CellInput = string | Cell

export function htmlTable(columns: readonly Column[], rows: readonly (readonly CellInput[])[], caption?: string): string {
  const head = columns.map((column) => `<th${column.numeric === true ? ' class="num"' : ''} scope="col">${escapeHtml(column.title)}</th>`).join('')
  const body = rows
    .map((row) => {
      const cells = row.map((input, index) => {
        const cell = typeof input === 'string' ? { text: input } : input
        const classes = [columns[index]?.numeric === true ? 'num' : '', cell.className ?? ''].filter((name) => name !== '').join(' ')
        const text = cell.href === undefined ? escapeHtml(cell.text) : `<a href="${escapeHtml(cell.href)}">${escapeHtml(cell.text)}</a>`
        return `<td${classes === '' ? '' : ` class="${classes}"`}>${text}</td>`
      })
      return `<tr>${cells.join('')}</tr>`
    })
    .join('\n')
  const captionHtml = caption === undefined ? '' : `<caption class="note">${escapeHtml(caption)}</caption>`
  return `<div class="table-wrap"><table>${captionHtml}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`
}

export function card(label: string, value: string, className?: string): string {
  return `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value${className === undefined ? '' : ` ${className}`}">${escapeHtml(value)}</div></div>`
}

/** Where the script draws a chart; the label names it for screen readers and for tests. */
export function chartSlot(chartId: string, attribute: string, label: string): string {
  return `<div class="chart" ${attribute}="${escapeHtml(chartId)}" role="figure" aria-label="${escapeHtml(label)}"></div>`
}

export function paragraph(text: string, className = 'note'): string {
  return `<p class="${className}">${escapeHtml(text)}</p>`
}
