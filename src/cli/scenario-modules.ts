/**
 * The scenario modules a long-lived node loads (`loadspec agent` and
 * `loadspec coordinator --scenarios <file or glob>`): every exported
 * Scenario, or array of Scenarios, of every module counts.
 */
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { Scenario } from '../engine/scenario.js'
import { expandPattern } from './file-patterns.js'
import { importUserModule } from './load-module.js'

/** The scenarios of the modules the patterns match; undefined (after saying why on stderr) when there are none. */
export async function loadScenarioModules(command: string, patterns: readonly string[], cwd: string): Promise<Scenario[] | undefined> {
  const files = patterns.flatMap((pattern) => expandPattern(pattern, cwd))
  if (files.length === 0) {
    console.error(`${command}: no file matches ${patterns.map((p) => `"${p}"`).join(', ')} (from ${cwd})`)
    return undefined
  }
  const importsVitest = files.map((file) => vitestImportProblem(command, file, cwd)).find((problem) => problem !== undefined)
  if (importsVitest !== undefined) {
    console.error(importsVitest)
    return undefined
  }
  const scenarios = await loadScenarios(command, files, cwd)
  // A scenario may come from a module the given one imports: that one must not import vitest either.
  const origins = [...new Set(scenarios.flatMap((scenario) => (scenario.originFile === undefined ? [] : [scenario.originFile])))]
  const originProblem = origins.map((file) => vitestImportProblem(command, file, cwd)).find((problem) => problem !== undefined)
  if (originProblem !== undefined) {
    console.error(originProblem)
    return undefined
  }
  if (scenarios.length === 0) {
    console.error(`${command}: ${files.map((f) => relative(cwd, f)).join(', ')} export no Scenario (export const checkout = Scenario.create(...))`)
    return undefined
  }
  return scenarios
}

/**
 * A module that imports vitest (or loadspec/vitest) cannot run outside a
 * Vitest worker: it would load and then fail every iteration with "Vitest
 * failed to access its internal state". Said before anything is imported.
 */
function vitestImportProblem(command: string, file: string, cwd: string): string | undefined {
  let source: string
  try {
    source = readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  const specifier = VITEST_IMPORT.exec(source)?.[1]
  if (specifier === undefined) return undefined
  return (
    `${command}: ${relative(cwd, file)} imports "${specifier}", which only works inside a Vitest worker: on a node outside Vitest every iteration would fail. ` +
    'Keep scenarios in their own modules (e.g. load/checkout.scenarios.ts) that import "loadspec", not "vitest" or "loadspec/vitest", and import them from the test files'
  )
}

/** `from 'vitest'`, `import('vitest/…')`, `require("loadspec/vitest")`, side-effect imports; type-only imports are fine. */
const VITEST_IMPORT = /(?:^|[\s;])(?:import\s+(?!type\s)(?:[^'"]*?\sfrom\s*)?|import\s*\(\s*|require\s*\(\s*|export\s+(?!type\s)[^'"]*?\sfrom\s*)['"]((?:loadspec\/)?vitest(?:\/[^'"]*)?)['"]/m

/** Every Scenario exported by the modules, each once; two different scenarios with one name are an error. */
async function loadScenarios(command: string, files: readonly string[], cwd: string): Promise<Scenario[]> {
  const byName = new Map<string, { scenario: Scenario; file: string }>()
  for (const file of files) {
    const exports = await importUserModule(file, cwd)
    for (const value of Object.values(exports)) {
      for (const candidate of Array.isArray(value) ? value : [value]) {
        if (!Scenario.isScenario(candidate)) continue
        const seen = byName.get(candidate.name)
        if (seen !== undefined && seen.scenario !== candidate) {
          throw new Error(`${command}: two different scenarios are named "${candidate.name}" (in ${relative(cwd, seen.file)} and ${relative(cwd, file)}); names must be unique`)
        }
        byName.set(candidate.name, { scenario: candidate, file })
      }
    }
  }
  return [...byName.values()].map((entry) => entry.scenario)
}
