import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildScenarioStats, initHistograms } from '../../src/stats/index.js'
import { destroyRecorders, recorder } from './stats-helpers.js'

beforeAll(() => initHistograms())
afterEach(destroyRecorders)

// The recorder records runs of one response size with one histogram call; what is read must not show it.
describe('response sizes recorded in runs', () => {
  it('gives the same size stats as recording every size, across runs and snapshots', () => {
    const r = recorder()
    const sizes = [0, 0, 0, 100, 100, 0, 5000, 5000, 5000, 5000]
    for (const size of sizes.slice(0, 5)) r.recordOk(1000, size, 200, '')
    // A snapshot in the middle of a run sees everything recorded so far...
    const early = buildScenarioStats(r.serialize(1000)).ok.dataTransferBytes
    expect(early).toMatchObject({ total: 200, min: 0, max: 100, p50: 0 })
    for (const size of sizes.slice(5)) r.recordOk(1000, size, 200, '')
    // ...and recording carries on exactly after it.
    const bytes = buildScenarioStats(r.serialize(1000)).ok.dataTransferBytes
    expect(bytes.total).toBe(20_200)
    expect(bytes.min).toBe(0)
    expect(bytes.max).toBeCloseTo(5000, -1)
    expect(bytes.p50).toBe(100)
    expect(bytes.p75).toBeCloseTo(5000, -1)
    expect(bytes.mean).toBeCloseTo(2020, -1)
  })

  it('drops a pending run on reset', () => {
    const r = recorder()
    r.recordOk(1000, 300, 200, '')
    r.recordOk(1000, 300, 200, '')
    r.reset()
    r.recordOk(1000, 10, 200, '')
    const bytes = buildScenarioStats(r.serialize(1000)).ok.dataTransferBytes
    expect(bytes).toMatchObject({ total: 10, min: 10, p99: 10 })
    expect(buildScenarioStats(r.serialize(1000)).ok.latencyMs.count).toBe(1)
  })
})
