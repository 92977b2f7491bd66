import { LoadSimulationError, formatValue } from './errors.js'
import type { DurationInput } from './types.js'

/** What a duration may look like, in the words every duration error uses. */
export const DURATION_EXPECTATION = "a duration (seconds as a number, or a string like '250ms', '30s', '2m')"

/**
 * Parses a duration as users write it into milliseconds: a number is seconds
 * (as in LoadStrike's TypeScript SDK), a string is `'250ms'`, `'30s'`, `'2m'`,
 * `'1h'`, `'1.5s'`, a combination from the largest unit down (`'1m30s'`), or
 * a bare number of seconds (`'5'`).
 *
 * `paramName` names the value in the error. With `owner` the message reads
 * `Simulation.inject: "during" must be …`; without it, `paramName` is used as
 * it is (`Scenario "checkout" withWarmUpDuration must be …`).
 */
export function parseDuration(input: DurationInput, paramName: string, owner?: string): number {
  const ms = tryParseDurationMs(input)
  if (ms !== undefined) return ms
  const subject = owner === undefined ? paramName : `${owner}: "${paramName}"`
  throw new LoadSimulationError([
    { param: paramName, value: input, message: `${subject} must be ${DURATION_EXPECTATION}, got ${formatValue(input)}` },
  ])
}

/** The duration in ms, or undefined when `input` is not a duration of 0 or more. */
export function tryParseDurationMs(input: unknown): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? toWholeNanoseconds(input * MS_PER_UNIT.s) : undefined
  if (typeof input !== 'string') return undefined
  const text = input.trim()
  if (BARE_SECONDS.test(text)) return toWholeNanoseconds(Number(text) * MS_PER_UNIT.s)
  return parseUnitString(text)
}

/** The shortest string `parseDuration` reads back as `ms`: 250 → '250ms', 90000 → '1m30s', 1500 → '1.5s'. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms)
  if (ms < MS_PER_UNIT.s) return `${trimDecimals(ms)}ms`
  const hours = Math.floor(ms / MS_PER_UNIT.h)
  const minutes = Math.floor((ms - hours * MS_PER_UNIT.h) / MS_PER_UNIT.m)
  const seconds = (ms - hours * MS_PER_UNIT.h - minutes * MS_PER_UNIT.m) / MS_PER_UNIT.s
  const parts: string[] = []
  if (hours > 0) parts.push(`${hours}h`)
  if (minutes > 0) parts.push(`${minutes}m`)
  if (seconds > 0) parts.push(`${trimDecimals(seconds)}s`)
  return parts.join('')
}

const MS_PER_UNIT = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const
type DurationUnit = keyof typeof MS_PER_UNIT
/** Units must come largest first, each at most once ('1h30m', not '30m1h'). */
const UNIT_RANK: Record<DurationUnit, number> = { h: 0, m: 1, s: 2, ms: 3 }

const BARE_SECONDS = /^(?:\d+(?:\.\d+)?|\.\d+)$/
// 'ms' before 'm' and 's' so that '250ms' is not read as 250 minutes followed by garbage.
const UNIT_PART = /\s*(\d+(?:\.\d+)?|\.\d+)(ms|h|m|s)\s*/y

function parseUnitString(text: string): number | undefined {
  UNIT_PART.lastIndex = 0
  let totalMs = 0
  let previousRank = -1
  let parts = 0
  while (UNIT_PART.lastIndex < text.length) {
    const match = UNIT_PART.exec(text)
    if (match === null) return undefined
    const unit = match[2] as DurationUnit
    if (UNIT_RANK[unit] <= previousRank) return undefined
    previousRank = UNIT_RANK[unit]
    totalMs += Number(match[1]) * MS_PER_UNIT[unit]
    parts++
  }
  if (parts === 0 || !Number.isFinite(totalMs)) return undefined
  return toWholeNanoseconds(totalMs)
}

/** 1.1 s is 1100.0000000000002 ms in binary floating point; durations are kept to the nanosecond. */
function toWholeNanoseconds(ms: number): number | undefined {
  if (!Number.isFinite(ms)) return undefined
  if (ms >= MAX_EXACT_NANOSECOND_MS) return ms
  return Math.round(ms * 1e6) / 1e6
}

const MAX_EXACT_NANOSECOND_MS = Number.MAX_SAFE_INTEGER / 1e6

function trimDecimals(value: number): string {
  return String(Number(value.toFixed(6)))
}
