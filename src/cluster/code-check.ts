/**
 * The code check every session makes before load: an agent whose code for a
 * scenario differs from the code the session was started with (its
 * fingerprint, cluster/fingerprint.ts) would run other code than the test
 * says, silently. A coordinator service checks against the client's
 * fingerprints, a Coordinator node against its own; the words are the same.
 */
import type { AgentSummary } from './errors.js'
import type { Fingerprints } from './fingerprint.js'

export interface CodeCheck {
  /** Scenario name → fingerprint of the code the session was started with. */
  readonly fingerprints: Fingerprints
  /** Whose code that is, for messages: the client of a service, or the Coordinator node itself. */
  readonly side: 'client' | 'coordinator'
  /** Run anyway (AllowCodeMismatch): each differing agent becomes a warning on the result instead. */
  readonly allowCodeMismatch: boolean
}

export interface FingerprintedAgent extends Pick<AgentSummary, 'agentId' | 'host' | 'pid'> {
  readonly fingerprints: Fingerprints
}

/**
 * The first of `scenarios` the agent runs other code for, in words (what
 * differs, not what to do: codeMismatchRefusal and codeMismatchWarning add
 * that); undefined when none differs (a scenario either side sent no
 * fingerprint for counts as the same).
 */
export function codeMismatch(agent: FingerprintedAgent, scenarios: readonly string[], check: Pick<CodeCheck, 'fingerprints' | 'side'>): string | undefined {
  for (const name of scenarios) {
    const theirs = agent.fingerprints[name]
    const ours = check.fingerprints[name]
    if (theirs === undefined || ours === undefined || theirs === ours) continue
    return (
      `agent ${agent.agentId} (host ${agent.host}, pid ${agent.pid}) runs other code for scenario "${name}" than the ${check.side}: ` +
      `agent fingerprint ${theirs}, ${check.side} fingerprint ${ours} (the agent loaded the module before it was edited, or runs another checkout)`
    )
  }
  return undefined
}

/** Why a session is refused for an agent whose code differs (codeMismatch), and what to do. */
export function codeMismatchRefusal(mismatch: string): string {
  return `${mismatch}; restart the agent with the current code, or set AllowCodeMismatch=true to run anyway`
}

/** The warning a session run with AllowCodeMismatch carries for an agent whose code differs (codeMismatch). */
export function codeMismatchWarning(mismatch: string): string {
  return `${mismatch}; it ran anyway because AllowCodeMismatch is true`
}
