/**
 * Output every script can grep: one `name value [unit]` line per figure on
 * stdout; everything else (round-by-round detail, notes) starts with `#`.
 */
import { availableParallelism } from 'node:os'
import { readFileSync } from 'node:fs'

export function figure(name: string, value: number | string, unit = ''): void {
  const text = typeof value === 'number' ? formatNumber(value) : value
  console.log(unit === '' ? `${name} ${text}` : `${name} ${text} ${unit}`)
}

export function note(text: string): void {
  console.log(`# ${text}`)
}

/** The nearest-rank percentile of a few values (p99 of 20 values is the largest). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

export interface MachineInfo {
  readonly cores: number
  readonly cpuModel: string
  readonly node: string
}

export function machineInfo(): MachineInfo {
  return { cores: availableParallelism(), cpuModel: cpuModel(), node: process.version }
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('model name'))
    return line?.split(':')[1]?.trim() ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  if (Number.isInteger(value)) return String(value)
  const magnitude = Math.abs(value)
  return magnitude >= 100 ? value.toFixed(0) : magnitude >= 1 ? value.toFixed(2) : value.toFixed(3)
}
