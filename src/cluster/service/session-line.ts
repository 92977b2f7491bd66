/** The one log line a coordinator service prints for every session it served. */
import { errorMessage } from '../../engine/outcome.js'
import type { SerializedRunResult } from '../../result/result.js'
import { ClusterError, quoteList } from '../errors.js'
import { describeClient, type Submit } from './session-request.js'

export interface SessionLineInput {
  readonly submit: Submit
  readonly result: SerializedRunResult | undefined
  readonly error: unknown
  readonly durationMs: number
  readonly clientLost: boolean
}

/** "session s1 from ci-7 (host ci, pid 7): "checkout" on agent-a, agent-b, 3.2 s: 1200 ok, 3 failed (incomplete)" */
export function sessionLine(input: SessionLineInput): string {
  const { submit, result, error } = input
  const agents = result?.nodes.filter((node) => node.nodeType === 'Agent').map((node) => node.nodeId) ?? []
  const head =
    `session ${submit.sessionId} from ${describeClient(submit)}: ${quoteList(submit.scenarios.map((scenario) => scenario.name))} ` +
    `on ${agents.length === 0 ? 'no agent' : agents.join(', ')}, ${(input.durationMs / 1000).toFixed(1)} s`
  const ok = result?.scenarios.reduce((sum, stats) => sum + stats.ok.count, 0) ?? 0
  const failed = result?.scenarios.reduce((sum, stats) => sum + stats.fail.count, 0) ?? 0
  const counts = result === undefined ? '' : `: ${ok} ok, ${failed} failed${result.incomplete ? ' (incomplete)' : ''}`
  const verdict = error === undefined ? 'done' : `failed (${error instanceof ClusterError ? error.code : 'error'}: ${errorMessage(error)})`
  return `${head}${counts}; ${input.clientLost ? 'client lost, result discarded' : verdict}`
}
