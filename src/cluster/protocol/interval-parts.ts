/**
 * An interim on the wire: one time-series point (the stats of the interval
 * just ended, that interval alone), as JSON text cut into parts that each
 * fit the broker's max payload, the way final stats are cut. The receiver
 * puts the parts of one sequence number together and validates the point.
 */
import { z } from 'zod'
import type { SeriesPoint } from '../../result/result.js'
import { ReportAssembly, splitReportText, truncate } from './final-report.js'
import type { MessageBody, MessageOf } from './messages.js'
import { seriesPointSchema } from './node-report.js'

/** The interim messages (bodies) that carry `point`, each at most `maxDataBytes` of data. */
export function intervalParts(sessionId: string, point: SeriesPoint, maxDataBytes: number): MessageBody<'interim'>[] {
  const slices = splitReportText(JSON.stringify(point), maxDataBytes)
  return slices.map((data, part) => ({ sessionId, seq: point.index, part, parts: slices.length, data }))
}

/** How many points may be half received at once; older half-received ones are given up (their parts were lost). */
const OPEN_ASSEMBLIES = 8

/** Reassembles the points of one sender, each from parts arriving in any order. */
export class IntervalAssembly {
  private readonly open = new Map<number, ReportAssembly>()

  /** The point once every part of its sequence number is in; throws when the whole does not parse as a point. */
  add(message: MessageOf<'interim'>): SeriesPoint | undefined {
    if (message.parts === 1) return parsePoint(message.data, message.seq)
    let assembly = this.open.get(message.seq)
    if (assembly === undefined) {
      assembly = new ReportAssembly()
      this.open.set(message.seq, assembly)
      // Map order is insertion order: the first key is the oldest.
      if (this.open.size > OPEN_ASSEMBLIES) this.open.delete(this.open.keys().next().value as number)
    }
    const text = assembly.add(message.part, message.parts, message.data)
    if (text === undefined) return undefined
    this.open.delete(message.seq)
    return parsePoint(text, message.seq)
  }
}

function parsePoint(text: string, seq: number): SeriesPoint {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new Error(`interval ${seq} is not valid JSON once reassembled: ${error instanceof Error ? error.message : String(error)}`)
  }
  const parsed = seriesPointSchema.safeParse(value)
  if (!parsed.success) throw new Error(`interval ${seq} failed validation: ${truncate(z.prettifyError(parsed.error), 500)}`)
  if (parsed.data.index !== seq) throw new Error(`interval ${seq} holds the point of interval ${parsed.data.index}`)
  return parsed.data
}
