/**
 * How numbers read in every human-facing report (console, txt, md, html).
 * One set of rules, so the same figure looks the same wherever it appears;
 * CSV and JSON keep full precision instead.
 */

/** Latency in ms with 2 decimals: 10 µs steps, finer than any report needs to show. */
export function formatMs(ms: number): string {
  return ms.toFixed(2)
}

export function formatRps(rps: number): string {
  return rps.toFixed(1)
}

/** A share 0..100, e.g. "12.5 %". */
export function formatPercent(percent: number): string {
  return `${percent.toFixed(1)} %`
}

export function formatCount(count: number): string {
  return String(count)
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const

/** Bytes in binary units (1 KB = 1024 B), as NBomber shows data transfer. */
export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${BYTE_UNITS[unit]}`
}

/** A run's length: "850 ms", "12.3 s", "2m 05s", "1h 02m 03s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const totalSeconds = Math.round(ms / 1000)
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  const mmss = `${String(minutes).padStart(2, '0')}m ${String(seconds).padStart(2, '0')}s`
  return hours > 0 ? `${hours}h ${mmss}` : `${minutes}m ${String(seconds).padStart(2, '0')}s`
}

/** A clock for live progress: "01:05", "1:02:03". */
export function formatClock(ms: number): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1000))
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`
  return hours > 0 ? `${hours}:${mmss}` : mmss
}
