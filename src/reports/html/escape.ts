/** Text from a run (scenario names, server messages) goes into the page as text, never as markup. */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char)
}

/**
 * JSON that is safe inside <script type="application/json">: a "</script>"
 * or "<!--" in a scenario name must not end the element early. \u2028/\u2029
 * are escaped too; they are valid JSON but not valid in older JS parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

/** Script text inlined into the page; only "</script" could end the element, so it is split. */
export function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1')
}
