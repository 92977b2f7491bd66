/**
 * Whether every test of the running Jest file ran and passed, for the
 * obsolete load baselines that `-u` may remove. Jest has no public way to
 * ask from a setup file, so this reads jest-circus's own state: the object
 * it keeps on the test file's global under `Symbol('JEST_STATE_SYMBOL')`
 * (Jest 27 to 30), with its tree of describe blocks and tests. When that
 * state is not found (another test runner, another Jest), the answer is
 * "no": obsolete entries are then only reported, never removed.
 */

/** The parts of a jest-circus describe block or test read here. */
interface CircusEntryLike {
  readonly type?: unknown
  readonly status?: unknown
  readonly errors?: readonly unknown[]
  readonly failing?: unknown
  readonly children?: readonly CircusEntryLike[]
}

const STATE_SYMBOL_DESCRIPTION = 'JEST_STATE_SYMBOL'

/**
 * None of the file's tests was skipped, left out by a filter (`-t`, `.only`: circus marks them
 * 'skip') or failed. `todo` tests never run and check nothing; an expected failure
 * (`test.failing`) may have failed before its check, so it counts as not passed.
 */
export function everyJestTestPassed(global: object = globalThis): boolean {
  const symbol = Object.getOwnPropertySymbols(global).find((candidate) => candidate.description === STATE_SYMBOL_DESCRIPTION)
  const state = symbol === undefined ? undefined : ((global as Record<symbol, unknown>)[symbol] as { readonly rootDescribeBlock?: CircusEntryLike } | undefined)
  const root = state?.rootDescribeBlock
  return root?.children !== undefined && everyTestOfBlockPassed(root)
}

function everyTestOfBlockPassed(block: CircusEntryLike): boolean {
  return (block.children ?? []).every((entry) => {
    if (entry.type === 'describeBlock') return everyTestOfBlockPassed(entry)
    if (entry.status === 'todo') return true
    return entry.status === 'done' && entry.errors?.length === 0 && entry.failing !== true
  })
}
