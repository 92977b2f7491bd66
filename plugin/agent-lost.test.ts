/**
 * onAgentLost on fabricated results: an incomplete RunResult as the cluster
 * hands it back after an agent went silent (a node marked lost, a warning
 * naming it and its scenarios), and the verdict each policy gives.
 */
import { describe, expect, test } from 'vitest'
import { createRunResult, type NodeInfo, type RunResult } from '../src/index.js'
import { okRequests, runResultOf } from '../test/support/stats-builder.js'
import { describeBadPolicy, isAgentLostPolicy, judgeLostAgents, lostAgents } from './agent-lost.js'

const coordinator: NodeInfo = { nodeId: 'coordinator-1', nodeType: 'Coordinator', host: 'ci', pid: 10, scenarios: [], partition: { number: 0, count: 1 } }
const survivor: NodeInfo = { nodeId: 'agent-a', nodeType: 'Agent', host: 'ci', pid: 11, scenarios: ['checkout'], partition: { number: 0, count: 2 } }
const lostAgent: NodeInfo = { nodeId: 'agent-b', nodeType: 'Agent', host: 'ci', pid: 12, scenarios: ['checkout'], partition: { number: 1, count: 2 }, lost: true }
const lossWarning =
  'agent agent-b (host ci, pid 12) stopped answering (no heartbeat for 1510 ms, AgentLostTimeoutMs is 1500) 1.3 s after load started; ' +
  'its scenarios "checkout" count the 2 intervals it sent (up to 1.0 s into the load)'

async function resultWith(nodes: readonly NodeInfo[], warnings: readonly string[] = []): Promise<RunResult> {
  const measured = await runResultOf({ name: 'checkout', ok: okRequests(150), durationMs: 2000 })
  return createRunResult({ ...measured.toJSON(), nodes, warnings, incomplete: nodes.some((node) => node.lost === true) })
}

/** What judgeLostAgents threw, or undefined. */
async function verdict(result: RunResult, policy: 'fail' | 'warn', assert: () => unknown = () => {}): Promise<Error | undefined> {
  try {
    await judgeLostAgents({ testName: 'checkout holds', result, policy, assert })
    return undefined
  } catch (error) {
    return error as Error
  }
}

describe("onAgentLost: 'fail'", () => {
  test('fails a run that lost an agent, naming the agent and its scenarios, and shows the merged figures', async () => {
    let asserted = false
    const error = await verdict(await resultWith([coordinator, survivor, lostAgent], [lossWarning]), 'fail', () => (asserted = true))
    expect(asserted).toBe(true)
    expect(error?.name).toBe('LoadScenarioAgentLostError')
    expect(error?.message).toContain(`loadScenario "checkout holds" lost 1 of 2 agents mid-run, so its result is incomplete and the test fails (onAgentLost: 'fail'):\n  - ${lossWarning}`)
    expect(error?.message).toContain('Its assertions passed on these partial figures.')
    expect(error?.message).toContain("pass { onAgentLost: 'warn' } as loadScenario's fourth argument")
    expect(error?.message).toMatch(/scenario "checkout": 150 requests in 2\.0 s/)
    expect(error?.cause).toBeUndefined()
  })

  test('says that the assertions failed too, and keeps their error as the cause', async () => {
    const budget = new Error('expected scenario "checkout" to have p99 latency below 5 ms, but its p99 latency is 148.00 ms\n\n(table)')
    const error = await verdict(await resultWith([coordinator, survivor, lostAgent], [lossWarning]), 'fail', () => {
      throw budget
    })
    expect(error?.name).toBe('LoadScenarioAgentLostError')
    expect(error?.message).toContain(
      "Its assertions also failed on these partial figures (the assertion's error is this error's cause): expected scenario \"checkout\" to have p99 latency below 5 ms, but its p99 latency is 148.00 ms\n",
    )
    expect(error?.cause).toBe(budget)
  })

  test('describes a lost agent from its node when no warning names it', async () => {
    const error = await verdict(await resultWith([coordinator, lostAgent]), 'fail')
    expect(error?.message).toContain('lost 1 of 1 agent mid-run')
    expect(error?.message).toContain('  - agent agent-b (host ci, pid 12) was lost mid-run; its scenarios "checkout" count only what it reported before')
  })

  test('leaves a complete run to the assertions', async () => {
    const complete = await resultWith([coordinator, survivor])
    expect(await verdict(complete, 'fail')).toBeUndefined()
    const budget = new Error('over budget')
    expect(
      await verdict(complete, 'fail', () => {
        throw budget
      }),
    ).toBe(budget)
  })

  test('awaits an async assertion', async () => {
    const budget = new Error('late failure')
    const error = await verdict(await resultWith([coordinator, survivor, lostAgent], [lossWarning]), 'fail', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      throw budget
    })
    expect(error?.cause).toBe(budget)
  })
})

describe("onAgentLost: 'warn'", () => {
  test('the assertions alone decide', async () => {
    const incomplete = await resultWith([coordinator, survivor, lostAgent], [lossWarning])
    expect(await verdict(incomplete, 'warn')).toBeUndefined()
    const budget = new Error('over budget')
    expect(
      await verdict(incomplete, 'warn', () => {
        throw budget
      }),
    ).toBe(budget)
  })
})

test('lostAgents and the policy check', async () => {
  expect(lostAgents(await resultWith([coordinator, survivor, lostAgent])).map((node) => node.nodeId)).toEqual(['agent-b'])
  expect(['fail', 'warn', 'Fail', undefined, 1].map(isAgentLostPolicy)).toEqual([true, true, false, false, false])
  expect(describeBadPolicy('wran')).toBe(`onAgentLost must be 'fail' or 'warn', got "wran"`)
})
