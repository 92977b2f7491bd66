/**
 * Default durations keep a whole `npm run bench` within a few minutes on a
 * small machine. BENCH_SCALE multiplies every duration and iteration count
 * (BENCH_SCALE=3 for steadier figures); BENCH_ROUNDS sets how many
 * alternating rounds the comparisons run. (Not LOADSPEC_*: those are
 * configuration keys.)
 */
export const scale = positiveNumber('BENCH_SCALE', 1)
export const rounds = Math.max(1, Math.round(positiveNumber('BENCH_ROUNDS', 3)))
/** BENCH_PIN=0 turns off pinning the HTTP target and the generator to separate cores. */
export const pinCores = process.env.BENCH_PIN !== '0'

export function scaled(value: number): number {
  return Math.max(1, Math.round(value * scale))
}

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`)
  return value
}
