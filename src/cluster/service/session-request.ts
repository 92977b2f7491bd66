/**
 * One submitted session as the service sees it: what the client asked for,
 * turned into the scenarios and config a coordinator session runs with, and
 * the checks that refuse bad input at once (an unknown scenario, targeting
 * that cannot be placed, more agents than the fleet has).
 */
import type { LoadspecConfig } from '../../config/index.js'
import { Scenario } from '../../engine/scenario.js'
import { errorMessage } from '../../engine/outcome.js'
import { ClusterError, quoteList } from '../errors.js'
import { planSession, type SessionPlan } from '../coordinator/plan.js'
import type { HeardAgent } from '../coordinator/agent-directory.js'
import type { Fingerprints } from '../fingerprint.js'
import { codeMismatch, codeMismatchRefusal } from '../code-check.js'
import type { ServiceFailureCode, ServiceMessageOf } from './protocol.js'

export type Submit = ServiceMessageOf<'submit'>

export interface SessionRequest {
  readonly submit: Submit
  readonly scenarios: readonly Scenario[]
  readonly config: LoadspecConfig
  readonly plan: SessionPlan
  /** Scenarios that run on agents (every slot's). */
  readonly agentScenarios: readonly string[]
}

export type Checked = { readonly ok: true; readonly request: SessionRequest } | { readonly ok: false; readonly code: ServiceFailureCode; readonly message: string }

/**
 * The session's scenarios: the service's own module scenarios where it
 * loaded them (CoordinatorTargetScenarios run here), stand-ins that carry
 * only the load shape for the rest (agents supply their code). Every one
 * gets the client's load shape.
 */
export function checkSubmit(submit: Submit, serviceConfig: LoadspecConfig, loaded: ReadonlyMap<string, Scenario>, loadedFingerprints: Fingerprints): Checked {
  const missingHere = submit.coordinatorTargetScenarios.filter((name) => !loaded.has(name))
  if (missingHere.length > 0) {
    return {
      ok: false,
      code: 'unknown-scenario',
      message:
        `CoordinatorTargetScenarios ${quoteList(missingHere)} must run on the coordinator service, which did not load ${missingHere.length === 1 ? 'it' : 'them'} ` +
        `(its modules export ${loaded.size === 0 ? 'no scenario' : quoteList([...loaded.keys()])}); give the service those modules with --scenarios`,
    }
  }
  const differing = submit.allowCodeMismatch ? undefined : submit.coordinatorTargetScenarios.find((name) => submit.fingerprints[name] !== undefined && submit.fingerprints[name] !== loadedFingerprints[name])
  if (differing !== undefined) {
    return {
      ok: false,
      code: 'code-mismatch',
      message:
        `the coordinator service runs other code for scenario "${differing}" than the client: service fingerprint ${loadedFingerprints[differing] ?? 'none'}, ` +
        `client fingerprint ${submit.fingerprints[differing]}; restart the service with the current code, or set AllowCodeMismatch=true to run anyway`,
    }
  }
  const scenarios = submit.scenarios.map(({ name, settings }) => {
    const base = loaded.get(name) ?? (settings.loadSimulations.length === 0 ? Scenario.empty(name) : Scenario.create(name, standIn(name)))
    return base.withSettings(settings)
  })
  const config: LoadspecConfig = {
    ...serviceConfig,
    nodeType: 'Coordinator',
    agentsCount: submit.agentsCount,
    targetScenarios: [...submit.targetScenarios],
    agentTargetScenarios: [...submit.agentTargetScenarios],
    coordinatorTargetScenarios: [...submit.coordinatorTargetScenarios],
    clusterCommandTimeoutMs: submit.clusterCommandTimeoutMs,
    ...(submit.reportingIntervalMs === null ? {} : { reportingIntervalMs: submit.reportingIntervalMs }),
  }
  let plan: SessionPlan
  try {
    plan = planSession({ scenarios, config })
  } catch (error) {
    return { ok: false, code: error instanceof ClusterError && error.code === 'placement' ? 'placement' : 'invalid-session', message: errorMessage(error) }
  }
  const agentScenarios = [...new Set(plan.slots.flatMap((slot) => slot.scenarios))]
  return { ok: true, request: { submit, scenarios, config, plan, agentScenarios } }
}

/**
 * Refuses a session an agent of the fleet runs other code for (always: those agents are known),
 * and, once the whole fleet has answered (`settled`), one it can never serve: a scenario no agent
 * registered, more agents than there are.
 */
export function checkFleet(request: SessionRequest, fleet: readonly HeardAgent[], settled: boolean): { readonly code: ServiceFailureCode; readonly message: string } | undefined {
  const needed = request.plan.slots.length
  if (needed === 0) return undefined
  if (!request.submit.allowCodeMismatch) {
    const mismatch = fleetCodeMismatch(request, fleet)
    if (mismatch !== undefined) return { code: 'code-mismatch', message: mismatch }
  }
  if (!settled) return undefined
  const unknown = request.agentScenarios.filter((name) => !fleet.some((agent) => agent.scenarios.includes(name)))
  const heard = fleet.length === 0 ? 'no agent has announced itself' : `agents: ${fleet.map((agent) => `${agent.agentId} (${quoteList(agent.scenarios)})`).join(', ')}`
  if (unknown.length > 0) {
    return { code: 'unknown-scenario', message: `no agent of ClusterId "${request.config.clusterId}" / AgentGroup "${request.config.agentGroup}" registered ${quoteList(unknown)} (${heard})` }
  }
  const eligible = fleet.filter((agent) => canServe(agent, request))
  if (eligible.length < needed) {
    return {
      code: 'too-few-agents',
      message: `AgentsCount is ${needed}, but the fleet has ${eligible.length} agent${eligible.length === 1 ? '' : 's'} that registered ${quoteList(request.agentScenarios)} (${heard})`,
    }
  }
  return undefined
}

/** The first agent whose code for one of the session's scenarios is not the client's, in words; undefined when none differs. */
function fleetCodeMismatch(request: SessionRequest, fleet: readonly HeardAgent[]): string | undefined {
  const check = { fingerprints: request.submit.fingerprints, side: 'client' as const }
  for (const agent of fleet) {
    const mismatch = codeMismatch(agent, request.agentScenarios, check)
    if (mismatch !== undefined) return codeMismatchRefusal(mismatch)
  }
  return undefined
}

export function canServe(agent: HeardAgent, request: SessionRequest): boolean {
  return request.agentScenarios.every((name) => agent.scenarios.includes(name))
}

export function describeClient(submit: Submit): string {
  return `${submit.clientId} (host ${submit.host}, pid ${submit.pid})`
}

/** A stand-in never runs: the coordinator only reads its load shape. */
function standIn(name: string) {
  return (): never => {
    throw new Error(`scenario "${name}" runs on agents only: the coordinator service has no code for it`)
  }
}
