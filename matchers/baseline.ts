/**
 * toMatchLoadBaseline: snapshot-style budgets against an earlier run. The
 * first run writes `__load_baselines__/<test file>.json` (keyed by test name
 * and scenario); later runs fail when a figure regressed beyond the
 * tolerances; `-u` rewrites; in CI (where the runner writes no new
 * snapshots) a missing baseline fails. The runner's snapshot state says
 * which of these applies, read in one place (updateMode). After a test
 * file, entries no test checked are obsolete: reported, and removed by `-u`
 * when every test of the file ran and passed.
 */
import { baselineTolerances, compareToBaseline, scenarioBaseline, type BaselineTolerances, type Regression } from '../src/reports/baseline/compare.js'
import { BASELINE_FOLDER, baselineFilePath, readBaselineFile, removeBaselineFile, writeBaselineFile } from '../src/reports/baseline/file.js'
import { formatStatsTable } from '../src/reports/stats-table.js'
import { isRunResult } from '../src/result/result.js'
import type { ScenarioStats } from '../src/stats/types.js'
import { describeValue } from './subject.js'
import type { MatcherContext, MatcherResult } from './types.js'

/** What Vitest's and Jest's `expect.getState()` both carry for snapshots (their own types differ, hence read structurally). */
export interface SnapshotAwareState {
  readonly testPath?: string
  readonly currentTestName?: string
  /** The runner's SnapshotState; its update mode is a private field, read in updateMode. */
  readonly snapshotState?: object
}

interface SnapshotAwareContext extends MatcherContext, SnapshotAwareState {}

/** A test file's obsolete load baselines after it ran. */
export interface ObsoleteLoadBaselines {
  /** The baseline file's absolute path. */
  readonly file: string
  readonly testNames: readonly string[]
  /** The run rewrites snapshots (`-u`). */
  readonly updating: boolean
  /** Removed from the file (`-u`, and every test of the file ran and passed); else only to be reported. */
  readonly removed: boolean
  /** Removing them left no baseline, so the file itself was deleted. */
  readonly fileDeleted: boolean
}

/** 'all' with `-u`, 'none' in CI (`CI` set, or Jest's `--ci`), else 'new'. */
type UpdateMode = 'all' | 'new' | 'none'

/** Test names checked in this process, per baseline file: what is left in a file is obsolete. */
const checkedTests = new Map<string, Set<string>>()

export function toMatchLoadBaseline(this: MatcherContext, received: unknown, tolerances?: Partial<BaselineTolerances>): MatcherResult {
  const name = 'toMatchLoadBaseline'
  const context = this as SnapshotAwareContext
  const limits = baselineTolerances(tolerances, name)
  const scenarios = scenariosOf(received, name)
  const { testPath, currentTestName } = context
  if (testPath === undefined || currentTestName === undefined) throw new Error(`${name} must be called inside a test: it keys the baseline by test file and test name`)
  const mode = updateMode(context)
  const path = baselineFilePath(testPath)
  const file = readBaselineFile(path)
  const stored = { ...file.tests[currentTestName] }
  const seen = checkedTests.get(path) ?? new Set<string>()
  checkedTests.set(path, seen.add(currentTestName))
  const missing: string[] = []
  const regressed: { scenario: ScenarioStats; regressions: Regression[] }[] = []
  let written = false
  for (const stats of scenarios) {
    const now = scenarioBaseline(stats)
    const base = stored[stats.scenarioName]
    if (mode === 'all' || (base === undefined && mode === 'new')) {
      stored[stats.scenarioName] = now
      written = true
    } else if (base === undefined) missing.push(stats.scenarioName)
    else {
      const regressions = compareToBaseline(base, now, limits)
      if (regressions.length > 0) regressed.push({ scenario: stats, regressions })
    }
  }
  if (written) writeBaselineFile(path, { version: 1, tests: { ...file.tests, [currentTestName]: stored } })
  const where = `${BASELINE_FOLDER}/${path.split(/[\\/]/).at(-1) ?? ''}`
  return {
    pass: missing.length === 0 && regressed.length === 0,
    message: () => {
      if (context.isNot) return `expected a regression against the load baseline in ${where} for "${currentTestName}", but every figure is within its tolerance`
      if (missing.length > 0) {
        return (
          `no load baseline for "${currentTestName}" (${missing.map((scenario) => `scenario "${scenario}"`).join(', ')}) in ${where}, ` +
          'and none is written in CI. Run the test once without CI set (or with -u / --updateSnapshot) and commit the file.'
        )
      }
      const lines = regressed.flatMap(({ scenario, regressions }) => [
        `scenario "${scenario.scenarioName}" regressed against its load baseline (${where}, "${currentTestName}"):`,
        ...regressions.map((regression) => `  ${regression.text}`),
      ])
      return [...lines, 'If the change is intended, update the baseline with -u (--updateSnapshot).', ...regressed.map(({ scenario }) => `\n${formatStatsTable(scenario)}`)].join('\n')
    },
  }
}

/** Test names in this file's baselines that no toMatchLoadBaseline checked in this run, to be reported like obsolete snapshots. */
export function obsoleteLoadBaselines(testPath: string): { readonly file: string; readonly testNames: readonly string[] } | undefined {
  const path = baselineFilePath(testPath)
  let stored: string[]
  try {
    stored = Object.keys(readBaselineFile(path).tests)
  } catch {
    return undefined
  }
  const seen = checkedTests.get(path) ?? new Set<string>()
  const obsolete = stored.filter((testName) => !seen.has(testName))
  return obsolete.length === 0 ? undefined : { file: path, testNames: obsolete }
}

/**
 * Called once after a test file ran, with the runner's `expect.getState()`: its obsolete entries
 * (as obsoleteLoadBaselines finds them), removed when the run rewrites snapshots (`-u`) and
 * `everyTestPassed` — a test that was skipped, filtered out (`-t`) or failed may be the very one
 * whose entry looks unused, so then they are only reported. What the file's tests checked is
 * forgotten afterwards: a rerun in the same process (watch mode) starts afresh.
 */
export function settleObsoleteLoadBaselines(state: SnapshotAwareState, everyTestPassed: boolean): ObsoleteLoadBaselines | undefined {
  if (state.testPath === undefined) return undefined
  const obsolete = obsoleteLoadBaselines(state.testPath)
  checkedTests.delete(baselineFilePath(state.testPath))
  if (obsolete === undefined) return undefined
  const updating = updateMode(state) === 'all'
  if (!updating || !everyTestPassed) return { ...obsolete, updating, removed: false, fileDeleted: false }
  const file = readBaselineFile(obsolete.file)
  const kept = Object.fromEntries(Object.entries(file.tests).filter(([testName]) => !obsolete.testNames.includes(testName)))
  if (Object.keys(kept).length === 0) removeBaselineFile(obsolete.file)
  else writeBaselineFile(obsolete.file, { version: 1, tests: kept })
  return { ...obsolete, updating, removed: true, fileDeleted: Object.keys(kept).length === 0 }
}

function scenariosOf(received: unknown, name: string): readonly ScenarioStats[] {
  if (isRunResult(received)) {
    if (received.scenarioStats.length === 0) throw new Error(`${name}: this RunResult has no scenario stats (did every scenario have load?)`)
    return received.scenarioStats
  }
  if (typeof received === 'object' && received !== null && (received as { kind?: unknown }).kind === 'scenario') return [received as ScenarioStats]
  throw new TypeError(`${name} needs a RunResult or a scenario's stats (result.getScenarioStats(name)); got ${describeValue(received)}`)
}

function updateMode(state: SnapshotAwareState): UpdateMode {
  // Internal to both runners (checked on Vitest 4 and 5 and Jest 30): 'new' on a plain run, 'all' with -u, 'none' in CI.
  const mode = (state.snapshotState as { readonly _updateSnapshot?: unknown } | undefined)?._updateSnapshot
  if (mode === 'all' || mode === 'new' || mode === 'none') return mode
  return process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false' ? 'none' : 'new'
}
