/** Shared fixtures for the stats tests. */
import { ScenarioRecorder } from '../../src/stats/index.js'

/** HDR with 3 significant digits keeps values within 0.1 % (plus 1 µs of rounding on tiny values). */
export function withinHdrPrecision(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= Math.max(expected * 0.001, 0.001)
}

const live: ScenarioRecorder[] = []

/** A recorder that is destroyed by destroyRecorders() (call it in afterEach). */
export function recorder(name = 'checkout', openModel = false): ScenarioRecorder {
  const created = new ScenarioRecorder(name, { openModel })
  live.push(created)
  return created
}

export function destroyRecorders(): void {
  for (const created of live.splice(0)) created.destroy()
}

/** Plain numbers of built stats (getters are read through toJSON), for deep equality. */
export function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value))
}
