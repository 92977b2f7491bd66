/** Live progress: what it shows, how it redraws, and when a run shows it at all. */
import { describe, expect, test } from 'vitest'
import { Simulation, Scenario, Response } from '../../src/index.js'
import { consoleOutputFor } from '../../src/reports/console-output.js'
import { formatProgress, LiveProgress } from '../../src/reports/live-progress.js'
import { plannedDurationMs } from '../../src/reports/planned-duration.js'
import { formatMs } from '../../src/reports/format.js'
import { buildScenarioStats } from '../../src/stats/index.js'
import type { SerializedScenarioStats } from '../../src/stats/types.js'
import { failRequests, okRequests, serializedStats } from '../support/stats-builder.js'

function p99Of(serialized: SerializedScenarioStats): string {
  return formatMs(buildScenarioStats(serialized).ok.latencyMs.p99)
}

describe('progress lines', () => {
  test('elapsed of planned time with a bar, then per scenario counts, current rps and p99 so far', async () => {
    const checkout = await serializedStats({ name: 'checkout', ok: okRequests(100), fail: failRequests(3), droppedIterations: 2 })
    const browse = await serializedStats({ name: 'browse', ok: [] })
    const lines = formatProgress({ elapsedMs: 3500, scenarios: [checkout, browse] }, 10_000, new Map([['checkout', 51.25]]))
    expect(lines).toEqual([
      'loadspec 00:03 / 00:10 [#######-------------] 35 %',
      `  checkout  ok 100  fail 3  51.3 rps  p99 ${p99Of(checkout)} ms  dropped 2`,
      '  browse    ok 0  fail 0  - rps  p99 -',
    ])
  })

  test('without a planned length (iteration-count plans) only the elapsed time', () => {
    expect(formatProgress({ elapsedMs: 65_000, scenarios: [] }, undefined, new Map())).toEqual(['loadspec 01:05 elapsed'])
  })

  test('past the plan (graceful stop) the bar stays full', () => {
    expect(formatProgress({ elapsedMs: 12_000, scenarios: [] }, 10_000, new Map())[0]).toBe('loadspec 00:12 / 00:10 [####################] 100 %')
  })
})

describe('LiveProgress', () => {
  test('redraws in place, rates from the counts between two reports (the first from the start), and wipes itself at the end', async () => {
    const writes: string[] = []
    const progress = new LiveProgress({ write: (text) => writes.push(text), columns: 200 }, 4000)
    const first = await serializedStats({ name: 'a', ok: okRequests(10) })
    const second = await serializedStats({ name: 'a', ok: okRequests(60) })
    progress.update({ elapsedMs: 1000, scenarios: [first] })
    progress.update({ elapsedMs: 2000, scenarios: [second] })
    progress.finish()
    expect(writes[0]).toBe(`loadspec 00:01 / 00:04 [#####---------------] 25 %\n  a  ok 10  fail 0  10.0 rps  p99 ${p99Of(first)} ms\n`)
    // Two lines up, to the line start, clear below: then the new lines.
    expect(writes[1]).toBe(`\u001b[2A\r\u001b[Jloadspec 00:02 / 00:04 [##########----------] 50 %\n  a  ok 60  fail 0  50.0 rps  p99 ${p99Of(second)} ms\n`)
    expect(writes[2]).toBe('\u001b[2A\r\u001b[J')
  })

  test('after a warm-up the counts restart; the rate counts from zero again', async () => {
    const writes: string[] = []
    const progress = new LiveProgress({ write: (text) => writes.push(text), columns: 200 }, undefined)
    progress.update({ elapsedMs: 1000, scenarios: [await serializedStats({ name: 'a', ok: okRequests(80) })] })
    progress.update({ elapsedMs: 1500, scenarios: [await serializedStats({ name: 'a', ok: okRequests(20) })] })
    expect(writes[1]).toContain('ok 20  fail 0  40.0 rps')
  })

  test('cuts lines to the terminal width, so a wrapped line never breaks the redraw', async () => {
    const writes: string[] = []
    const progress = new LiveProgress({ write: (text) => writes.push(text), columns: 30 }, undefined)
    progress.update({ elapsedMs: 1000, scenarios: [await serializedStats({ name: 'a-very-long-scenario-name', ok: okRequests(5) })] })
    for (const line of (writes[0] ?? '').split('\n')) expect(line.length).toBeLessThanOrEqual(29)
  })
})

describe('when a run prints', () => {
  test('progress only on a terminal, outside CI and outside test runners; the summary outside test runners', () => {
    const tty = { isTTY: true }
    expect(consoleOutputFor(tty, {})).toEqual({ progress: true, summary: true })
    expect(consoleOutputFor({ isTTY: false }, {})).toEqual({ progress: false, summary: true })
    expect(consoleOutputFor({}, {})).toEqual({ progress: false, summary: true })
    expect(consoleOutputFor(tty, { CI: 'true' })).toEqual({ progress: false, summary: true })
    expect(consoleOutputFor(tty, { CI: '1' })).toEqual({ progress: false, summary: true })
    expect(consoleOutputFor(tty, { CI: 'false' })).toEqual({ progress: true, summary: true })
    expect(consoleOutputFor(tty, { TERM: 'dumb' })).toEqual({ progress: false, summary: true })
    expect(consoleOutputFor(tty, { VITEST: 'true' })).toEqual({ progress: false, summary: false })
    expect(consoleOutputFor(tty, { JEST_WORKER_ID: '1' })).toEqual({ progress: false, summary: false })
  })

  test('the planned length is the longest warm-up plus load; unknown for iteration counts', () => {
    const handler = (): ReturnType<typeof Response.ok> => Response.ok()
    const a = Scenario.create('a', handler).withWarmUpDuration('2s').withLoadSimulations(Simulation.inject(10, 1, '5s'))
    const b = Scenario.create('b', handler).withLoadSimulations(Simulation.keepConstant(2, '3s'), Simulation.pause('6s'))
    expect(plannedDurationMs([a, b])).toBe(9000)
    expect(plannedDurationMs([a, Scenario.create('c', handler).withLoadSimulations(Simulation.iterationsForConstant(1, 10))])).toBeUndefined()
    expect(plannedDurationMs([Scenario.empty('seed')])).toBeUndefined()
  })
})
