/**
 * The scenario modules a long-lived node loads (`loadspec agent` and
 * `loadspec coordinator --scenarios <file or glob>`): every exported
 * Scenario, or array of Scenarios, of every module counts.
 */
import { readdirSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { Scenario } from '../engine/scenario.js'
import { importUserModule } from './load-module.js'

/** The scenarios of the modules the patterns match; undefined (after saying why on stderr) when there are none. */
export async function loadScenarioModules(command: string, patterns: readonly string[], cwd: string): Promise<Scenario[] | undefined> {
  const files = patterns.flatMap((pattern) => expandPattern(pattern, cwd))
  if (files.length === 0) {
    console.error(`${command}: no file matches ${patterns.map((p) => `"${p}"`).join(', ')} (from ${cwd})`)
    return undefined
  }
  const scenarios = await loadScenarios(command, files, cwd)
  if (scenarios.length === 0) {
    console.error(`${command}: ${files.map((f) => relative(cwd, f)).join(', ')} export no Scenario (export const checkout = Scenario.create(...))`)
    return undefined
  }
  return scenarios
}

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

/**
 * A path, or a glob with `*`, `?` and `**` (the shell usually expands
 * globs, but a quoted one, or one in a script on Windows, arrives as is).
 * Walks only below the pattern's fixed prefix and never into node_modules.
 */
function expandPattern(pattern: string, cwd: string): string[] {
  if (!/[*?]/.test(pattern)) return [resolve(cwd, pattern)]
  const absolute = resolve(cwd, pattern).split(sep).join('/')
  const segments = absolute.split('/')
  const firstWild = segments.findIndex((segment) => /[*?]/.test(segment))
  const base = segments.slice(0, firstWild).join('/') || '/'
  const matcher = globToRegExp(segments.slice(firstWild).join('/'))
  return walk(base)
    .filter((file) => matcher.test(relative(base, file).split(sep).join('/')))
    .sort()
}

function globToRegExp(glob: string): RegExp {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string
    if (char === '*' && glob[i + 1] === '*') {
      // "**/" matches zero or more directories.
      source += glob[i + 2] === '/' ? '(?:.*/)?' : '.*'
      i += glob[i + 2] === '/' ? 2 : 1
    } else if (char === '*') source += '[^/]*'
    else if (char === '?') source += '[^/]'
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}

/** Files below `dir`, bounded: at most 10 000 entries are looked at. */
function walk(dir: string, budget = { entries: 10_000 }): string[] {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
  const files: string[] = []
  for (const entry of entries) {
    if (--budget.entries < 0) break
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) files.push(...walk(path, budget))
    } else if (entry.isFile()) files.push(path)
  }
  return files
}
