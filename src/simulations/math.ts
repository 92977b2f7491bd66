/**
 * Floating point helpers shared by the plans. Expected iteration counts are
 * sums and products of non-integers (100 per 1 s is 0.1 per ms), so a count
 * meant to be exactly 3000 may come out as 2999.9999999999995.
 */

/** Snaps `value` to the nearest integer when it is within rounding noise of it. */
export function snapToInteger(value: number): number {
  const nearest = Math.round(value)
  return Math.abs(value - nearest) <= ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * Math.abs(value) ? nearest : value
}

// Far above the few ulps that a handful of float operations lose, far below
// a fraction of an iteration that a user could notice.
const ABSOLUTE_TOLERANCE = 1e-9
const RELATIVE_TOLERANCE = 1e-12

/** The last index i with sorted[i] <= value, or -1. `sorted` is non-decreasing. */
export function lastIndexAtMost(sorted: ArrayLike<number>, value: number): number {
  let low = 0
  let high = sorted.length - 1
  let found = -1
  while (low <= high) {
    const middle = (low + high) >>> 1
    if ((sorted[middle] as number) <= value) {
      found = middle
      low = middle + 1
    } else {
      high = middle - 1
    }
  }
  return found
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value
}
