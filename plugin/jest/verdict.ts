import type { RunResult } from '../../src/result/result.js'
import { DEFAULT_AGENT_LOST_POLICY, describeBadPolicy, isAgentLostPolicy, judgeLostAgents, type AgentLostPolicy } from '../agent-lost.js'

export const JEST_WARN_HINT = "pass { onAgentLost: 'warn' } as loadScenario's fourth argument"

/**
 * A Jest load test's verdict on its result: the user's assertion, and
 * onAgentLost ('fail' by default) when a cluster agent was lost mid-run.
 */
export async function judgeJestLoadTest(testName: string, result: RunResult, assert: () => unknown, onAgentLost: AgentLostPolicy | undefined): Promise<void> {
  await judgeLostAgents({ testName, result, policy: onAgentLost ?? DEFAULT_AGENT_LOST_POLICY, assert, warnHint: JEST_WARN_HINT })
}

/** The test's own onAgentLost, checked where the user wrote it. */
export function checkJestOnAgentLost(testName: string, options: unknown): AgentLostPolicy | undefined {
  const value = (options as { onAgentLost?: unknown } | undefined)?.onAgentLost
  if (value === undefined || isAgentLostPolicy(value)) return value
  throw new TypeError(`loadScenario("${testName}"): options.${describeBadPolicy(value)}`)
}
