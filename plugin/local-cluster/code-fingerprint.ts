/**
 * What the agents run, as one hash: the bytes of every scenario module the
 * agents load and of every local module those import (relative specifiers,
 * followed transitively; packages are not followed). Compared before each
 * watch rerun: a different hash means the agents hold old code and must
 * load it again.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { expandPattern } from '../../src/cli/file-patterns.js'

/** More files than this are not followed (a scenario that imports half a monorepo still gets a fingerprint). */
const MAX_FILES = 2000

export interface CodeFingerprint {
  readonly hash: string
  readonly files: readonly string[]
}

export function fingerprintScenarioCode(patterns: readonly string[], root: string): CodeFingerprint {
  const pending = patterns.flatMap((pattern) => expandPattern(pattern, root))
  const seen = new Set<string>()
  const hash = createHash('sha256')
  while (pending.length > 0 && seen.size < MAX_FILES) {
    const file = pending.shift() as string
    if (seen.has(file)) continue
    seen.add(file)
    let source: string
    try {
      source = readFileSync(file, 'utf8')
    } catch {
      continue
    }
    hash.update(file).update('\0').update(source).update('\0')
    for (const specifier of relativeImports(source)) {
      const imported = resolveLocal(resolve(dirname(file), specifier))
      if (imported !== undefined && !seen.has(imported)) pending.push(imported)
    }
  }
  return { hash: hash.digest('hex'), files: [...seen] }
}

/** `./x`, `../y/z.js` in import/export-from statements and dynamic imports. */
function relativeImports(source: string): string[] {
  const specifiers: string[] = []
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g
  for (let match = pattern.exec(source); match !== null; match = pattern.exec(source)) specifiers.push(match[1] as string)
  return specifiers
}

/** TypeScript's resolution of a relative specifier, as far as a scenario module needs it: `.js` may name a `.ts` file. */
function resolveLocal(path: string): string | undefined {
  const stem = path.replace(/\.(m|c)?js$/, '')
  const candidates = [path, ...['.ts', '.mts', '.tsx', '.js', '.mjs'].map((ext) => `${stem}${ext}`), ...['index.ts', 'index.js'].map((name) => `${path}/${name}`)]
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile())
}
