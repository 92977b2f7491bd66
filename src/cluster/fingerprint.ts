/**
 * Code fingerprints: what a node's code for a scenario is, so a session can
 * tell that an agent runs other code than the client submitted with (an
 * edited scenario the agent never reloaded). A fingerprint hashes the bytes
 * of the file that created the scenario (FACTS: function source differs
 * between a Vitest worker and plain Node); a scenario whose file is unknown
 * falls back to its functions' source, marked `fn:` so the two kinds never
 * look alike.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Scenario } from '../engine/scenario.js'

export type Fingerprints = Readonly<Record<string, string>>

export function scenarioFingerprint(scenario: Scenario): string {
  if (scenario.originFile !== undefined) {
    try {
      return `file:${digest(readFileSync(scenario.originFile))}`
    } catch {
      // Unreadable now (deleted, moved): fall through to the functions' source.
    }
  }
  return `fn:${digest([scenario.handler, scenario.init, scenario.clean].map((fn) => fn?.toString() ?? '').join('\0'))}`
}

export function fingerprintsOf(scenarios: readonly Scenario[]): Record<string, string> {
  return Object.fromEntries(scenarios.map((scenario) => [scenario.name, scenarioFingerprint(scenario)]))
}

function digest(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 16)
}
