import { describe, expect, test } from 'vitest'
import { failRequests, okRequests, runResultOf } from '../test/support/stats-builder.js'
import { summaryLine, taskMeta } from './summary.js'

describe('summaryLine', () => {
  test('rps of all requests, ok p50 and p99, fail share, dropped iterations', async () => {
    const result = await runResultOf({ name: 'checkout', ok: okRequests(100), fail: failRequests(5), durationMs: 2000, droppedIterations: 2 })
    expect(summaryLine(result.getScenarioStats('checkout'), 1)).toMatch(/^checkout: 52\.5 rps \(all requests\) · ok p50 50\.\d\d ms · ok p99 99\.\d\d ms · fail 4\.8 % · dropped 2$/)
  })

  test('shows a dash when no request was ok, and the node count of a cluster', async () => {
    const result = await runResultOf({ name: 'down', fail: failRequests(4, 503), durationMs: 1000 })
    expect(summaryLine(result.getScenarioStats('down'), 3)).toBe('down: 4.0 rps (all requests) · ok p50 - · ok p99 - · fail 100.0 % · dropped 0 · 3 nodes')
  })
})

describe('taskMeta', () => {
  test('holds the key figures of every scenario as plain JSON', async () => {
    const result = await runResultOf({ name: 'a', ok: okRequests(4), fail: failRequests(1), durationMs: 1000 }, { name: 'b', ok: okRequests(2), durationMs: 500 })
    const meta = taskMeta(result)
    expect(JSON.parse(JSON.stringify(meta))).toEqual(meta)
    expect(meta).toMatchObject({ durationMs: 1000, nodeCount: 0, incomplete: false })
    expect(meta.scenarios.map((scenario) => scenario.name)).toEqual(['a', 'b'])
    expect(meta.scenarios[0]).toMatchObject({ okCount: 4, failCount: 1, failRate: 0.2, allRequestRps: 5, okRps: 4, droppedIterations: 0 })
    expect(meta.scenarios[0]?.latencyMs.max).toBeCloseTo(4, 1)
    expect(meta.scenarios[1]).toMatchObject({ failRate: 0, allRequestRps: 4, okRps: 4 })
  })
})
