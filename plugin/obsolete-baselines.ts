import { obsoleteLoadBaselines } from '../matchers/index.js'

/**
 * After a test file: its load baselines that no toMatchLoadBaseline checked
 * in this run, reported as Vitest and Jest report obsolete snapshots (with a
 * test filter, the tests left out are listed too).
 */
export function warnObsoleteLoadBaselines(testPath: string | undefined): void {
  if (testPath === undefined) return
  const obsolete = obsoleteLoadBaselines(testPath)
  if (obsolete === undefined) return
  const names = obsolete.testNames.map((name) => `"${name}"`).join(', ')
  console.warn(
    `loadspec: ${obsolete.testNames.length} obsolete load baseline${obsolete.testNames.length === 1 ? '' : 's'} in ${obsolete.file}: ${names} ` +
      '(no test checked them in this run; delete them from the file if their tests are gone)',
  )
}
