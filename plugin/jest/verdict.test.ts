/**
 * The Jest adapter's verdict on fabricated results: a run that lost an
 * agent fails by default (as in Vitest), and 'warn' leaves it to the
 * assertion. The policy logic itself is tested in ../agent-lost.test.ts.
 */
import { describe, expect, test } from 'vitest'
import { createRunResult, type NodeInfo, type RunResult } from '../../src/index.js'
import { okRequests, runResultOf } from '../../test/support/stats-builder.js'
import { checkJestOnAgentLost, JEST_WARN_HINT, judgeJestLoadTest } from './verdict.js'

const survivor: NodeInfo = { nodeId: 'agent-a', nodeType: 'Agent', host: 'ci', pid: 11, scenarios: ['checkout'], partition: { number: 0, count: 2 } }
const lost: NodeInfo = { nodeId: 'agent-b', nodeType: 'Agent', host: 'ci', pid: 12, scenarios: ['checkout'], partition: { number: 1, count: 2 }, lost: true }

async function resultWith(nodes: readonly NodeInfo[]): Promise<RunResult> {
  const measured = await runResultOf({ name: 'checkout', ok: okRequests(100), durationMs: 1000 })
  return createRunResult({ ...measured.toJSON(), nodes, warnings: [], incomplete: nodes.some((node) => node.lost === true) })
}

describe('loadScenario for Jest and lost agents', () => {
  test("fails by default, after the assertion ran, with the Jest way to opt out", async () => {
    let asserted = false
    const verdict = judgeJestLoadTest('checkout holds', await resultWith([survivor, lost]), () => (asserted = true), undefined)
    await expect(verdict).rejects.toThrow(/lost 1 of 2 agents mid-run/)
    await expect(judgeJestLoadTest('checkout holds', await resultWith([survivor, lost]), () => {}, undefined)).rejects.toThrow(JEST_WARN_HINT)
    expect(asserted).toBe(true)
  })

  test("'warn' leaves the verdict to the assertion; a complete run is judged by the assertion alone", async () => {
    await expect(judgeJestLoadTest('t', await resultWith([survivor, lost]), () => {}, 'warn')).resolves.toBeUndefined()
    await expect(judgeJestLoadTest('t', await resultWith([survivor]), () => {}, undefined)).resolves.toBeUndefined()
    await expect(
      judgeJestLoadTest('t', await resultWith([survivor]), () => {
        throw new Error('p99 over budget')
      }, undefined),
    ).rejects.toThrow('p99 over budget')
  })

  test('a bad onAgentLost is refused where the test is declared', () => {
    expect(() => checkJestOnAgentLost('t', { onAgentLost: 'wran' })).toThrow(`loadScenario("t"): options.onAgentLost must be 'fail' or 'warn', got "wran"`)
    expect(checkJestOnAgentLost('t', { onAgentLost: 'warn' })).toBe('warn')
    expect(checkJestOnAgentLost('t', undefined)).toBeUndefined()
  })
})
