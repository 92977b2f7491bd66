/**
 * Where a scenario was created: the file of the first stack frame outside
 * loadspec when `Scenario.create` / `Scenario.empty` ran. A cluster node
 * fingerprints that file's bytes (cluster/fingerprint.ts): function source
 * text would not do, since Vitest's transform rewrites imported names inside
 * function bodies and the same handler prints differently in a test worker
 * and in an agent.
 */
import { fileURLToPath } from 'node:url'

/** The caller's file (absolute path), or undefined when the stack does not name one. */
export function callerFile(stack: string | undefined): string | undefined {
  if (stack === undefined) return undefined
  for (const line of stack.split('\n').slice(1)) {
    const location = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):\d+:\d+\)?\s*$/.exec(line.trim())?.[1]
    if (location === undefined || isLoadspecFile(location)) continue
    return location.startsWith('file://') ? fileURLToPath(location) : location
  }
  return undefined
}

const HERE = import.meta.url.startsWith('file:') ? fileURLToPath(new URL('..', import.meta.url)) : ''

function isLoadspecFile(location: string): boolean {
  const path = location.startsWith('file://') ? fileURLToPath(location) : location
  // loadspec's own engine (src/ or dist/src/), and Node's internals.
  return (HERE !== '' && path.startsWith(HERE)) || path.startsWith('node:')
}
