/**
 * Failed requests grouped by (status code, message). The hot path looks a
 * group up in two maps without building a key string; the number of groups is
 * capped so that a handler putting an id into every message cannot grow memory.
 */
import type { RawStatusCode } from './status-codes.js'
import { OTHER_STATUS_CODE } from './status-codes.js'
import type { ErrorStats } from './types.js'

/** Distinct (status code, message) groups kept; failures beyond them are counted in one "other errors" group. */
export const MAX_ERROR_GROUPS = 1000
export const OTHER_ERRORS_MESSAGE = `other errors (beyond the first ${MAX_ERROR_GROUPS} distinct status code and message pairs)`

interface ErrorGroup {
  readonly statusCode: RawStatusCode
  readonly message: string
  count: number
}

export class ErrorGroupCounter {
  private readonly byStatusCode = new Map<RawStatusCode, Map<string, ErrorGroup>>()
  private groupCount = 0
  private overflow: ErrorGroup | undefined

  record(statusCode: RawStatusCode, message: string): void {
    const group = this.byStatusCode.get(statusCode)?.get(message) ?? this.addGroup(statusCode, message)
    group.count++
  }

  reset(): void {
    this.byStatusCode.clear()
    this.groupCount = 0
    this.overflow = undefined
  }

  serialize(): ErrorStats[] {
    const groups = new Map<string, ErrorStats>()
    for (const byMessage of this.byStatusCode.values()) {
      for (const group of byMessage.values()) addTo(groups, { ...group, statusCode: String(group.statusCode) })
    }
    if (this.overflow !== undefined) addTo(groups, { ...this.overflow, statusCode: OTHER_STATUS_CODE })
    return [...groups.values()]
  }

  private addGroup(statusCode: RawStatusCode, message: string): ErrorGroup {
    if (this.groupCount >= MAX_ERROR_GROUPS) {
      this.overflow ??= { statusCode: OTHER_STATUS_CODE, message: OTHER_ERRORS_MESSAGE, count: 0 }
      return this.overflow
    }
    let byMessage = this.byStatusCode.get(statusCode)
    if (byMessage === undefined) {
      byMessage = new Map()
      this.byStatusCode.set(statusCode, byMessage)
    }
    const group: ErrorGroup = { statusCode, message, count: 0 }
    byMessage.set(message, group)
    this.groupCount++
    return group
  }
}

/** Union of error-group lists with counts summed, capped like the recorder (the least frequent groups are folded). */
export function mergeErrorGroups(lists: readonly (readonly ErrorStats[])[]): ErrorStats[] {
  const groups = new Map<string, ErrorStats>()
  for (const list of lists) for (const group of list) addTo(groups, group)
  const all = [...groups.values()]
  if (all.length <= MAX_ERROR_GROUPS) return all
  const byCount = all.filter((g) => !isOverflow(g)).sort((a, b) => b.count - a.count)
  const kept = byCount.slice(0, MAX_ERROR_GROUPS)
  let folded = 0
  for (const group of all) folded += group.count
  for (const group of kept) folded -= group.count
  return [...kept, { statusCode: OTHER_STATUS_CODE, message: OTHER_ERRORS_MESSAGE, count: folded }]
}

/** current − previous, where previous is an earlier snapshot of the same groups; zero counts are dropped. */
export function subtractErrorGroups(current: readonly ErrorStats[], previous: readonly ErrorStats[], what: string): ErrorStats[] {
  const before = new Map(previous.map((group) => [groupKey(group), group]))
  const interval: ErrorStats[] = []
  for (const group of current) {
    const key = groupKey(group)
    const count = group.count - (before.get(key)?.count ?? 0)
    before.delete(key)
    if (count < 0) throw notAPrefix(what, group)
    if (count > 0) interval.push({ ...group, count })
  }
  const vanished = [...before.values()].find((group) => group.count > 0)
  if (vanished !== undefined) throw notAPrefix(what, vanished)
  return interval
}

function addTo(groups: Map<string, ErrorStats>, group: ErrorStats): void {
  const key = groupKey(group)
  const seen = groups.get(key)
  groups.set(key, { statusCode: group.statusCode, message: group.message, count: (seen?.count ?? 0) + group.count })
}

function groupKey(group: ErrorStats): string {
  // JSON keeps the two parts apart whatever characters they contain.
  return JSON.stringify([group.statusCode, group.message])
}

function isOverflow(group: ErrorStats): boolean {
  return group.statusCode === OTHER_STATUS_CODE && group.message === OTHER_ERRORS_MESSAGE
}

function notAPrefix(what: string, group: ErrorStats): Error {
  return new Error(
    `${what}: error group (${group.statusCode}, ${JSON.stringify(group.message)}) has fewer failures in the current snapshot ` +
      'than in the previous one; the previous snapshot must be an earlier snapshot of the same recorder, taken after its last reset()',
  )
}
