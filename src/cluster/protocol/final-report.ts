/**
 * Cutting a node report into `final` messages and putting it back together.
 * Each part carries a slice of the report's JSON text; a part's encoded size
 * (the slice escaped into the message's JSON, plus the envelope) stays under
 * the transport's largest payload. The receiver validates the whole report
 * once it has every part.
 */
import { z } from 'zod'
import { nodeReportSchema, type NodeReport } from './node-report.js'

/** Room left in every message for the envelope and the other fields. */
export const FINAL_ENVELOPE_ALLOWANCE_BYTES = 1024

/** Slices of `text` whose JSON-escaped UTF-8 size is at most `maxDataBytes` each. */
export function splitReportText(text: string, maxDataBytes: number): string[] {
  if (maxDataBytes < 64) throw new RangeError(`maxDataBytes must be at least 64, got ${maxDataBytes}`)
  const parts: string[] = []
  let offset = 0
  // Start optimistic (ASCII without quotes is 1 byte per char) and shrink when a slice is too big.
  let chars = maxDataBytes
  // Each round either emits a part or shrinks `chars` by at least one, so the loop ends.
  while (offset < text.length) {
    let end = Math.min(text.length, offset + chars)
    // Never split a surrogate pair between two parts.
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--
    const slice = text.slice(offset, end)
    const size = escapedSize(slice)
    if (size <= maxDataBytes || end - offset <= 1) {
      parts.push(slice)
      offset = end
      continue
    }
    chars = Math.max(1, Math.min(end - offset - 1, Math.floor(((end - offset) * maxDataBytes) / size * 0.98)))
  }
  return parts.length === 0 ? [''] : parts
}

export function reportToText(report: NodeReport): string {
  return JSON.stringify(report)
}

/** Reassembles one report from parts arriving in any order, any number of times. */
export class ReportAssembly {
  private readonly received = new Map<number, string>()
  private expectedParts: number | undefined

  /**
   * Adds a part; returns the whole JSON text once every part is in. A part
   * count that changes midway (the sender re-cut its report) restarts the
   * assembly.
   */
  add(part: number, parts: number, data: string): string | undefined {
    if (this.expectedParts !== parts) {
      this.received.clear()
      this.expectedParts = parts
    }
    this.received.set(part, data)
    if (this.received.size < parts) return undefined
    let text = ''
    for (let index = 0; index < parts; index++) text += this.received.get(index) ?? ''
    return text
  }
}

/** Parses and validates a reassembled report; throws an Error that says what is wrong. */
export function parseReportText(text: string): NodeReport {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new Error(`final stats are not valid JSON once reassembled: ${error instanceof Error ? error.message : String(error)}`)
  }
  const result = nodeReportSchema.safeParse(value)
  if (!result.success) throw new Error(`final stats failed validation: ${truncate(z.prettifyError(result.error), 500)}`)
  return result.data
}

function escapedSize(slice: string): number {
  return Buffer.byteLength(JSON.stringify(slice), 'utf8')
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff
}

export function truncate(text: string, maxChars: number): string {
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text
}
