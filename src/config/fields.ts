/**
 * Value schemas shared by the configuration keys. Values arrive as JSON
 * (typed) or as text (CLI, environment), so each schema first turns text
 * into the value it stands for, then validates. Every issue's message is
 * the `expected` phrase of its key: the resolver adds the key, the value and
 * its source around it, so messages read the same whichever check failed.
 * A `hint` in an issue's params is appended as advice.
 */
import { z } from 'zod'
import { nearMiss } from './near-miss.js'

/** Params attached to issues raised here and by the cross-field rules. */
export interface IssueParams {
  readonly hint?: string
}

/** Integer in [min, max]; numeric text ("120000", " 3 ") is accepted. */
export function wholeNumber(min: number, max: number, expected: string) {
  return z.preprocess(numberFromText, z.number({ error: expected }).int().min(min).max(max))
}

/** Boolean; "true"/"false"/"1"/"0" (any case) and 1/0 are accepted because CLI and environment only carry text. */
export function flag(expected: string) {
  return z.preprocess(booleanFromText, z.boolean({ error: expected }))
}

/** One of `values`, matched case-insensitively and returned in its canonical spelling. */
export function choice<const T extends string>(values: readonly T[], expected: string) {
  return z.string({ error: expected }).transform((text, ctx): T => {
    const wanted = text.trim().toLowerCase()
    const match = values.find((value) => value.toLowerCase() === wanted)
    if (match !== undefined) return match
    const suggestion = nearMiss(text.trim(), values)
    ctx.addIssue({ code: 'custom', message: expected, input: text, params: hintParams(suggestion && `did you mean "${suggestion}"?`) })
    return z.NEVER
  })
}

/**
 * A list given as an array or as one comma-separated string; entries are
 * trimmed, empty ones dropped (a trailing comma is not a scenario), and
 * repeats removed.
 */
export function list<T extends string>(entry: z.ZodType<T>, expected: string) {
  return z.preprocess(splitList, z.array(entry, { error: expected })).transform((entries) => [...new Set(entries)])
}

/** A name that ends up inside NATS subjects, so it may not hold '.', '*', '>' or spaces. */
export function subjectToken(expected: string) {
  return z.preprocess(trimText, z.string({ error: expected }).regex(/^[A-Za-z0-9_-]+$/))
}

/** Non-empty text, surrounding blanks removed. */
export function trimmedText(expected: string) {
  return z.preprocess(trimText, z.string({ error: expected }).min(1))
}

/** Non-empty text kept exactly as given (secrets and paths must not be trimmed). */
export function text(expected: string) {
  return z.string({ error: expected }).min(1)
}

/** A NATS server URL: nats://, tls://, ws:// or wss:// with a host. */
export function natsUrl(expected: string) {
  return z.string({ error: expected }).superRefine((url, ctx) => {
    if (!isNatsUrl(url)) ctx.addIssue({ code: 'custom', message: expected, input: url, params: hintParams(natsUrlHint(url)) })
  })
}

export function hintParams(hint: string | undefined): IssueParams | undefined {
  return hint ? { hint } : undefined
}

const NATS_PROTOCOLS: ReadonlySet<string> = new Set(['nats:', 'tls:', 'ws:', 'wss:'])

function isNatsUrl(text: string): boolean {
  const url = parseUrl(text)
  return url !== undefined && NATS_PROTOCOLS.has(url.protocol) && url.hostname !== ''
}

function natsUrlHint(text: string): string | undefined {
  const url = parseUrl(text)
  if (!text.includes('://')) return `did you mean "nats://${text.trim()}"?`
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) {
    return `NATS is not HTTP: use nats://${url.hostname}:4222 (the client port), or ws(s):// for a websocket listener`
  }
  return undefined
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text.trim())
  } catch {
    return undefined
  }
}

function numberFromText(input: unknown): unknown {
  if (typeof input !== 'string' || !/^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(input)) return input
  return Number(input)
}

function booleanFromText(input: unknown): unknown {
  if (input === 1 || input === 0) return input === 1
  if (typeof input !== 'string') return input
  const word = input.trim().toLowerCase()
  if (word === 'true' || word === '1') return true
  if (word === 'false' || word === '0') return false
  return input
}

function splitList(input: unknown): unknown {
  const entries = typeof input === 'string' ? input.split(',') : input
  if (!Array.isArray(entries)) return entries
  return entries.map((entry: unknown) => (typeof entry === 'string' ? entry.trim() : entry)).filter((entry) => entry !== '')
}

function trimText(input: unknown): unknown {
  return typeof input === 'string' ? input.trim() : input
}
