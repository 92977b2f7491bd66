import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { ScenarioRecorder, histogramsReady, initHistograms } from '../../src/stats/index.js'

// This file runs in its own module graph, so the histograms start uninitialized here.
describe('histogram initialization and memory', () => {
  it('asks the caller to await initHistograms() before recording', async () => {
    expect(histogramsReady()).toBe(false)
    expect(() => new ScenarioRecorder('early', { openModel: false })).toThrow(
      'await initHistograms() once before creating a recorder',
    )
    const first = initHistograms()
    expect(initHistograms()).toBe(first)
    await first
    expect(histogramsReady()).toBe(true)
    expect(() => new ScenarioRecorder('late', { openModel: false }).destroy()).not.toThrow()
  })

  it('frees WASM memory: 10 000 recorders created and destroyed do not grow RSS', async () => {
    await initHistograms()
    const cycle = (count: number) => {
      for (let i = 0; i < count; i++) {
        const r = new ScenarioRecorder('mem', { openModel: true })
        r.recordOk(1000 + i, 100, 200, '')
        r.recordFail(250_000, 0, 500, 'boom') // grows the fail histograms beyond their initial range
        r.recordServiceTime(900)
        r.recordStartLag(10)
        r.step('login').recordOk(500, 0, 200, '')
        r.destroy()
      }
    }
    // Until about 10 000 recorders in, the JS heap and V8's own allocations are still growing to
    // their working size; measured from there, RSS stays flat (it even shrinks a little).
    cycle(10_000)
    collectGarbage()
    const before = process.memoryUsage()
    cycle(10_000)
    collectGarbage()
    const after = process.memoryUsage()
    const mb = (bytes: number) => bytes / 1024 / 1024
    // Each recorder holds 8 WASM histograms of 16-64 KB: leaked, 10 000 of them would take > 1 GB.
    // WASM linear memory is counted in `external` (and in RSS).
    expect(mb(after.external - before.external)).toBeLessThan(1)
    // RSS moves by ±12 MB between runs from V8's own allocations alone; a leak would be > 1 GB.
    expect(mb(after.rss - before.rss)).toBeLessThan(64)
  })
})

/** The JS garbage of 10 000 recorders would otherwise blur the RSS figure. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  gc()
}
