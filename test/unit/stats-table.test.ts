/** formatStatsTable on real stats with latencies HDR records exactly (µs below 2048). */
import { describe, expect, test } from 'vitest'
import { formatStatsTable } from '../../src/reports/stats-table.js'
import { TOP_ERRORS, TOP_STATUS_CODES } from '../../src/reports/limits.js'
import { failRequests, okRequests, scenarioStatsOf, type ScenarioFigures } from '../support/stats-builder.js'

const checkout: ScenarioFigures = {
  name: 'checkout',
  ok: [
    { latencyMs: 1, status: 200, bytes: 1024 },
    { latencyMs: 1, status: 200, bytes: 1024 },
    { latencyMs: 1.5, status: 201, bytes: 512, message: 'created' },
    { latencyMs: 2, status: 200, bytes: 1024 },
  ],
  fail: [
    { latencyMs: 0.5, status: 500, message: 'boom' },
    { latencyMs: 1.2, status: 'timeout', message: 'took\n  too long' },
  ],
  durationMs: 2000,
  droppedIterations: 1,
  openModel: { serviceTimeMs: [0.5, 1, 1.5], startLagMs: [0.1, 0.2] },
  steps: [
    { name: 'login', ok: [{ latencyMs: 0.25 }] },
    { name: 'pay', fail: [{ latencyMs: 0.5, status: 402, message: 'declined' }] },
  ],
}

describe('formatStatsTable', () => {
  test("a scenario: counts, rps, share, latency, data, open-model figures, status codes, errors, steps", async () => {
    expect(formatStatsTable(await scenarioStatsOf(checkout))).toBe(
      [
        'scenario "checkout": 6 requests in 2.0 s (3.0 rps, all requests), 1 dropped iteration',
        '        count  rps   share  min ms  mean ms  p50 ms  p75 ms  p95 ms  p99 ms  max ms    data',
        '  ok        4  2.0  66.7 %    1.00     1.38    1.00    1.50    2.00    2.00    2.00  3.5 KB',
        '  fail      2  1.0  33.3 %    0.50     0.85    0.50    1.20    1.20    1.20    1.20     0 B',
        "  open model: latency counts from each iteration's intended start; service time p50 1.00 ms, p99 1.50 ms, max 1.50 ms",
        '  start lag p50 0.10 ms, p99 0.20 ms, max 0.20 ms',
        '  status codes:',
        '    200      ok    3  50.0 %',
        '    201      ok    1  16.7 %  created',
        '    500      fail  1  16.7 %  boom',
        '    timeout  fail  1  16.7 %  took too long',
        '  errors:',
        '    1 ×  500      boom',
        '    1 ×  timeout  took too long',
        '  steps:',
        '    login  ok 1  fail 0  p50 0.25 ms  p99 0.25 ms',
        '    pay    ok 0  fail 1  p50 -        p99 -',
      ].join('\n'),
    )
  })

  test('a step: named with its scenario, no dropped iterations or open-model lines', async () => {
    const stats = await scenarioStatsOf(checkout)
    expect(formatStatsTable(stats.getStepStats('pay'))).toBe(
      [
        'step "pay" of scenario "checkout": 1 request in 2.0 s (0.5 rps, all requests)',
        '        count  rps    share  min ms  mean ms  p50 ms  p75 ms  p95 ms  p99 ms  max ms  data',
        '  ok        0  0.0    0.0 %       -        -       -       -       -       -       -   0 B',
        '  fail      1  0.5  100.0 %    0.50     0.50    0.50    0.50    0.50    0.50    0.50   0 B',
        '  status codes:',
        '    402  fail  1  100.0 %  declined',
        '  errors:',
        '    1 ×  402  declined',
      ].join('\n'),
    )
  })

  test('nothing measured reads as dashes, not as 0 ms', async () => {
    const table = formatStatsTable(await scenarioStatsOf({ name: 'idle', durationMs: 500 }))
    expect(table).toBe(
      [
        'scenario "idle": 0 requests in 500 ms (0.0 rps, all requests), 0 dropped iterations',
        '        count  rps  share  min ms  mean ms  p50 ms  p75 ms  p95 ms  p99 ms  max ms  data',
        '  ok        0  0.0  0.0 %       -        -       -       -       -       -       -   0 B',
        '  fail      0  0.0  0.0 %       -        -       -       -       -       -       -   0 B',
        '  status codes: none',
      ].join('\n'),
    )
  })

  test('long lists are cut to the top entries, with what was left out said', async () => {
    const statusCount = TOP_STATUS_CODES + 3
    const errorGroups = TOP_ERRORS + 2
    const table = formatStatsTable(
      await scenarioStatsOf({
        name: 'noisy',
        ok: Array.from({ length: statusCount }, (_, index) => ({ latencyMs: 1, status: 200 + index })),
        fail: Array.from({ length: errorGroups }, (_, index) => failRequests(errorGroups - index, 500, `error number ${index}`)).flat(),
      }),
    )
    // The ok codes 200…222 and the 500 of the failures.
    expect(table).toContain(`… ${statusCount + 1 - TOP_STATUS_CODES} more status codes`)
    expect(table).toContain(`errors (top ${TOP_ERRORS} of ${errorGroups} groups):`)
    // Most frequent first: the first group has the most failures.
    expect(table).toMatch(new RegExp(`\\n    ${errorGroups} ×  500  error number 0\\n`))
    expect(table).not.toContain(`error number ${errorGroups - 1}`)
  })

  test('messages from servers stay on one bounded line', async () => {
    const table = formatStatsTable(await scenarioStatsOf({ name: 'verbose', fail: failRequests(1, 500, `line one\nline two\t${'x'.repeat(300)}`) }))
    const errorLine = table.split('\n').find((line) => line.startsWith('    1 ×'))
    expect(errorLine).toMatch(/^    1 ×  500  line one line two x+…$/)
    expect(errorLine?.length).toBeLessThan(130)
  })

  test('columns line up and no line ends in spaces', async () => {
    const lines = formatStatsTable(await scenarioStatsOf({ name: 'wide', ok: okRequests(1000), fail: failRequests(3), durationMs: 1000 })).split('\n')
    const [header, ok, fail] = lines.slice(1, 4)
    expect(ok?.length).toBe(header?.length)
    expect(fail?.length).toBe(header?.length)
    // Right-aligned numbers end where their header ends.
    expect(ok?.indexOf('1000') ?? -1).toBe((header?.indexOf('count') ?? 0) + 'count'.length - 4)
    for (const line of lines) expect(line).toBe(line.trimEnd())
  })
})
