/**
 * onAgentLost: what a load test's verdict is when an agent stopped answering
 * mid-run. The cluster still ends the run with a RunResult (everything the
 * surviving nodes measured plus the intervals the lost agent sent, marked
 * incomplete, with a warning naming the agent and its scenarios); this module
 * only decides whether that fails the test. Runner-agnostic: no Vitest here,
 * so the Jest adapter can apply the same rule.
 */
import { displayValue } from '../src/config/errors.js'
import { formatStatsTable } from '../src/reports/stats-table.js'
import type { NodeInfo, RunResult } from '../src/result/result.js'

/**
 * `'fail'` (the default): a run that lost an agent fails the test whatever its
 * assertions say, because its figures miss part of the load. `'warn'`: the
 * assertions alone decide; the loss is reported as a warning.
 */
export type AgentLostPolicy = 'fail' | 'warn'

export const AGENT_LOST_POLICIES: readonly AgentLostPolicy[] = ['fail', 'warn']
export const DEFAULT_AGENT_LOST_POLICY: AgentLostPolicy = 'fail'

/** How a user of this runner switches to 'warn', for the failure message. */
export const VITEST_WARN_HINT = "pass { onAgentLost: 'warn' } as loadScenario's fourth argument, or to loadspec() in vitest.config.ts for every load test"

export function isAgentLostPolicy(value: unknown): value is AgentLostPolicy {
  return AGENT_LOST_POLICIES.some((policy) => policy === value)
}

/** `onAgentLost must be 'fail' or 'warn', got "wran"`: the start of an error about a bad value, for its caller to say where. */
export function describeBadPolicy(value: unknown): string {
  return `onAgentLost must be ${AGENT_LOST_POLICIES.map((policy) => `'${policy}'`).join(' or ')}, got ${displayValue(value)}`
}

/** The agents whose figures in this result stop where they stopped answering. */
export function lostAgents(result: RunResult): readonly NodeInfo[] {
  return result.nodes.filter((node) => node.lost === true)
}

export interface LostAgentJudgement {
  readonly testName: string
  readonly result: RunResult
  readonly policy: AgentLostPolicy
  /** The user's assertions on the result. */
  readonly assert: () => unknown
  /** How to switch to 'warn' in this runner; default: the Vitest wording. */
  readonly warnHint?: string
}

/**
 * Runs the assertions and applies the policy. With 'fail' and a lost agent
 * the assertions still run, on the partial figures, so the failure can say
 * whether the budgets held; the error shows the merged stats either way and
 * keeps an assertion failure as its `cause`.
 */
export async function judgeLostAgents(judgement: LostAgentJudgement): Promise<void> {
  const lost = lostAgents(judgement.result)
  if (lost.length === 0 || judgement.policy === 'warn') {
    await judgement.assert()
    return
  }
  let assertionError: unknown
  let assertionFailed = false
  try {
    await judgement.assert()
  } catch (error) {
    assertionFailed = true
    assertionError = error
  }
  throw agentLostError(judgement, lost, assertionFailed ? { error: assertionError } : undefined)
}

function agentLostError(judgement: LostAgentJudgement, lost: readonly NodeInfo[], assertion: { error: unknown } | undefined): Error {
  const { testName, result } = judgement
  const agentCount = result.nodes.filter((node) => node.nodeType === 'Agent').length
  const verdict =
    assertion === undefined
      ? 'Its assertions passed on these partial figures.'
      : `Its assertions also failed on these partial figures (the assertion's error is this error's cause): ${firstLine(assertion.error)}`
  const lines = [
    `loadScenario "${testName}" lost ${lost.length} of ${agentCount} agent${agentCount === 1 ? '' : 's'} mid-run, so its result is incomplete and the test fails (onAgentLost: 'fail'):`,
    ...lost.map((node) => `  - ${lossWarning(result, node)}`),
    verdict,
    `To let the assertions alone decide, ${judgement.warnHint ?? VITEST_WARN_HINT}.`,
    ...result.scenarioStats.map((stats) => `\n${formatStatsTable(stats)}`),
  ]
  const error = new Error(lines.join('\n'), assertion === undefined ? undefined : { cause: assertion.error })
  error.name = 'LoadScenarioAgentLostError'
  return error
}

/** The cluster's own warning about this agent (it names the agent, why and its scenarios), or one built from the node. */
function lossWarning(result: RunResult, node: NodeInfo): string {
  const warning = result.warnings.find((candidate) => candidate.includes(node.nodeId))
  if (warning !== undefined) return warning
  const scenarios = node.scenarios.length === 0 ? 'none' : node.scenarios.map((name) => `"${name}"`).join(', ')
  return `agent ${node.nodeId} (host ${node.host}, pid ${node.pid}) was lost mid-run; its scenarios ${scenarios} count only what it reported before`
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error)
  const line = text.split('\n').find((candidate) => candidate.trim() !== '') ?? text
  return line.trim()
}
