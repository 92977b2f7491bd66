/**
 * "Did you mean …?" for misspelt key names and values. The distance bound is
 * tight on purpose: argv also carries other tools' flags (`--reporter=…`),
 * and a suggestion for those would turn them into errors.
 */

/** The candidate closest to `input` when it is a plausible typo of it, else undefined. */
export function nearMiss<T extends string>(
  input: string,
  candidates: readonly T[],
  normalize: (name: string) => string = (name) => name.toLowerCase(),
): T | undefined {
  const wanted = normalize(input)
  if (wanted.length < 3) return undefined
  let best: T | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of candidates) {
    const distance = levenshtein(wanted, normalize(candidate))
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return bestDistance <= allowedDistance(wanted.length) ? best : undefined
}

/** Edit distance (insertions, deletions, substitutions), two-row dynamic programming. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution)
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

/** One typo in a short name, two in a long one. */
function allowedDistance(length: number): number {
  return length >= 8 ? 2 : 1
}
