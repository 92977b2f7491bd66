/**
 * toMatchLoadBaseline: snapshot-style budgets against an earlier run. The
 * first run writes `__load_baselines__/<test file>.json` (keyed by test name
 * and scenario); later runs fail when a figure regressed beyond the
 * tolerances; `-u` rewrites; in CI (where the runner writes no new
 * snapshots) a missing baseline fails. The runner's snapshot state says
 * which of these applies, read in one place (updateMode).
 */
import { baselineTolerances, compareToBaseline, scenarioBaseline, type BaselineTolerances, type Regression } from '../src/reports/baseline/compare.js'
import { BASELINE_FOLDER, baselineFilePath, readBaselineFile, writeBaselineFile } from '../src/reports/baseline/file.js'
import { formatStatsTable } from '../src/reports/stats-table.js'
import { isRunResult } from '../src/result/result.js'
import type { ScenarioStats } from '../src/stats/types.js'
import { describeValue } from './subject.js'
import type { MatcherContext, MatcherResult } from './types.js'

/** What Vitest's and Jest's matcher state both carry for snapshots (their own types differ, hence read structurally). */
interface SnapshotAwareContext extends MatcherContext {
  readonly testPath?: string
  readonly currentTestName?: string
  readonly snapshotState?: { readonly _updateSnapshot?: unknown }
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

function scenariosOf(received: unknown, name: string): readonly ScenarioStats[] {
  if (isRunResult(received)) {
    if (received.scenarioStats.length === 0) throw new Error(`${name}: this RunResult has no scenario stats (did every scenario have load?)`)
    return received.scenarioStats
  }
  if (typeof received === 'object' && received !== null && (received as { kind?: unknown }).kind === 'scenario') return [received as ScenarioStats]
  throw new TypeError(`${name} needs a RunResult or a scenario's stats (result.getScenarioStats(name)); got ${describeValue(received)}`)
}

function updateMode(context: SnapshotAwareContext): UpdateMode {
  // Internal to both runners (checked on Vitest 4 and 5 and Jest 30): 'new' on a plain run, 'all' with -u, 'none' in CI.
  const mode = context.snapshotState?._updateSnapshot
  if (mode === 'all' || mode === 'new' || mode === 'none') return mode
  return process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false' ? 'none' : 'new'
}
