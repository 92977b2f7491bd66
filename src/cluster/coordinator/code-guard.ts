/**
 * The code check of one session (cluster/code-check.ts): before load, an
 * agent whose code for one of the session's agent scenarios differs from
 * the session's fingerprints fails it — the first one heard announcing, at
 * once, reserved or not — unless AllowCodeMismatch, when each reserved one
 * becomes one warning on the result.
 */
import { codeMismatch, codeMismatchRefusal, codeMismatchWarning, type CodeCheck } from '../code-check.js'
import { ClusterError } from '../errors.js'
import type { HeardAgent } from './agent-directory.js'
import type { SlotPlan } from './plan.js'

export interface CodeGuardEvents {
  readonly onMismatch: (error: ClusterError) => void
  readonly onWarning: (warning: string) => void
}

export class CodeGuard {
  /** The scenarios agents run: what their code is checked for. */
  private readonly scenarios: readonly string[]
  /** Agents already warned about: once each, also across re-reservations. */
  private readonly warned = new Set<string>()

  constructor(
    private readonly check: CodeCheck | undefined,
    slots: readonly SlotPlan[],
    private readonly events: CodeGuardEvents,
  ) {
    this.scenarios = [...new Set(slots.flatMap((slot) => slot.scenarios))]
  }

  /** An announce before assignment: a differing agent refuses the session (without AllowCodeMismatch). */
  onAnnounce(agent: HeardAgent): void {
    if (this.check === undefined || this.check.allowCodeMismatch) return
    const mismatch = codeMismatch(agent, this.scenarios, this.check)
    if (mismatch !== undefined) this.events.onMismatch(refusal(mismatch, agent))
  }

  /** The agents about to be assigned; false when one of them refused the session. */
  onReserved(agents: readonly HeardAgent[]): boolean {
    if (this.check === undefined) return true
    for (const agent of agents) {
      const mismatch = codeMismatch(agent, this.scenarios, this.check)
      if (mismatch === undefined) continue
      if (!this.check.allowCodeMismatch) {
        this.events.onMismatch(refusal(mismatch, agent))
        return false
      }
      if (!this.warned.has(agent.agentId)) this.events.onWarning(codeMismatchWarning(mismatch))
      this.warned.add(agent.agentId)
    }
    return true
  }
}

function refusal(mismatch: string, agent: HeardAgent): ClusterError {
  return new ClusterError('code-mismatch', `The session was refused before load (code-mismatch): ${codeMismatchRefusal(mismatch)}`, [agent])
}
