import { settleObsoleteLoadBaselines, type SnapshotAwareState } from '../matchers/baseline.js'

/**
 * After a test file: its load baselines that no toMatchLoadBaseline checked
 * in this run, reported as Vitest and Jest report obsolete snapshots, and
 * removed by `-u` when every test of the file ran and passed (the setup
 * files tell which). With a test filter, the tests left out are listed too,
 * and nothing is removed.
 */
export function reportObsoleteLoadBaselines(state: SnapshotAwareState, everyTestPassed: boolean): void {
  const obsolete = settleObsoleteLoadBaselines(state, everyTestPassed)
  if (obsolete === undefined) return
  const count = `${obsolete.testNames.length} obsolete load baseline${obsolete.testNames.length === 1 ? '' : 's'}`
  const names = obsolete.testNames.map((name) => `"${name}"`).join(', ')
  if (obsolete.removed) {
    console.warn(`loadspec: -u removed ${count} from ${obsolete.file}: ${names}${obsolete.fileDeleted ? ' (none was left: the file is deleted)' : ''}`)
    return
  }
  const why = obsolete.updating ? '-u left them, as not every test of this file ran and passed' : 'delete them from the file if their tests are gone'
  console.warn(`loadspec: ${count} in ${obsolete.file}: ${names} (no test checked them in this run; ${why})`)
}

/** The parts of a Vitest task (file, suite or test) read here; structural, so that Vitest 4 and 5 both fit. */
interface VitestTaskLike {
  readonly type: string
  readonly mode: string
  readonly fails?: boolean
  readonly result?: { readonly state?: string }
  readonly tasks?: readonly VitestTaskLike[]
}

/**
 * Every test of a Vitest file (as its afterAll hook receives it) ran and passed: none was skipped,
 * left out by a filter (`-t`, `.only`: Vitest marks those 'skip'), or failed. `todo` tests never run
 * and check nothing; an expected failure (`test.fails`) may have failed before its check, so it counts
 * as not passed.
 */
export function everyVitestTestPassed(suite: unknown): boolean {
  const tasks = (suite as Partial<VitestTaskLike> | undefined)?.tasks
  return Array.isArray(tasks) && tasks.every((task: VitestTaskLike) => {
    if (task.tasks !== undefined) return everyVitestTestPassed(task)
    if (task.mode === 'todo') return true
    return task.mode === 'run' && task.result?.state === 'pass' && task.fails !== true
  })
}
