/**
 * An example project copied to a temporary folder with a node_modules whose
 * entries are links into this repository: `loadspec` to the repository
 * itself (what `npm install` makes of `"loadspec": "file:../.."`) and the
 * example's other dependencies to the repository's installed ones, so the
 * example runs without the network.
 */
import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { repoRoot } from './vitest-cli.js'

/** `dependencies` are names under the repository's node_modules (a scope such as `@jest` links the whole scope). */
export function copyExample(example: string, dependencies: readonly string[]): string {
  const copy = mkdtempSync(join(tmpdir(), `loadspec-example-${basename(example)}-`))
  // A developer may have run npm install in the example: leave their node_modules and reports behind.
  cpSync(example, copy, { recursive: true, filter: (source) => !['node_modules', 'load-reports', 'package-lock.json'].includes(basename(source)) })
  mkdirSync(join(copy, 'node_modules'))
  symlinkSync(repoRoot, join(copy, 'node_modules/loadspec'), 'dir')
  for (const name of dependencies) symlinkSync(join(repoRoot, 'node_modules', name), join(copy, 'node_modules', name), 'dir')
  return copy
}
