/**
 * The file patterns of `loadspec agent --scenarios` (and of the local
 * cluster, which must know the same files to notice when they change).
 */
import { readdirSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'

/**
 * A path, or a glob with `*`, `?` and `**` (the shell usually expands
 * globs, but a quoted one, or one in a script on Windows, arrives as is).
 * Walks only below the pattern's fixed prefix and never into node_modules.
 */
export function expandPattern(pattern: string, cwd: string): string[] {
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
