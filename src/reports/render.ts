/** One report format rendered from a run result: the single dispatch point over REPORT_FORMATS. */
import type { ReportFormat } from '../config/constants.js'
import type { RunResult } from '../result/result.js'
import { renderCsv } from './csv.js'
import { renderHtml } from './html/page.js'
import { renderJson } from './json.js'
import { renderMarkdown } from './markdown.js'
import { formatRunSummary } from './summary.js'

export const REPORT_FILE_EXTENSIONS: Record<ReportFormat, string> = { html: 'html', json: 'json', md: 'md', txt: 'txt', csv: 'csv' }

export function renderReport(format: ReportFormat, result: RunResult): string {
  switch (format) {
    case 'json':
      return renderJson(result.toJSON())
    case 'html':
      return renderHtml(result)
    case 'md':
      return renderMarkdown(result)
    case 'txt':
      return formatRunSummary(result)
    case 'csv':
      return renderCsv(result)
  }
}
