/**
 * The one merged result of a cluster session: one part per node (the
 * coordinator's own run, each agent's final report, or the sum of the
 * intervals a lost agent sent), merged by mergeRunResults, so every percentile is that of
 * one histogram holding every node's samples.
 */
import type { NodeRunOutput } from '../../engine/node-run.js'
import { mergeRunResults } from '../../result/merge.js'
import type { NodeInfo, SerializedRunResult } from '../../result/result.js'
import { describeAgent, quoteList } from '../errors.js'
import type { AgentSlot } from './agent-slot.js'
import { START_LANDING_WARNING_MS } from './start-clock.js'

export interface AssemblyInput {
  readonly coordinator: NodeInfo
  /** Undefined when the coordinator ran no scenarios of its own. */
  readonly coordinatorOutput: NodeRunOutput | undefined
  readonly slots: readonly AgentSlot[]
  /** Coordinator clock. */
  readonly startAtEpochMs: number
  readonly seriesIntervalMs: number
  /** Session-level warnings gathered while running. */
  readonly warnings: readonly string[]
}


export function assembleClusterResult(input: AssemblyInput): SerializedRunResult {
  const warnings = [...input.warnings]
  const parts: SerializedRunResult[] = [coordinatorPart(input)]
  for (const slot of input.slots) {
    const part = agentPart(slot, input, warnings)
    if (part !== undefined) parts.push(part)
  }
  const merged = mergeParts(parts, warnings)
  return {
    ...merged,
    startedAt: new Date(input.startAtEpochMs).toISOString(),
    incomplete: merged.incomplete || input.slots.some((slot) => slot.state === 'lost'),
    warnings: [...warnings, ...merged.warnings],
  }
}

function coordinatorPart(input: AssemblyInput): SerializedRunResult {
  const output = input.coordinatorOutput
  return {
    version: 2,
    startedAt: new Date(output?.startedAtEpochMs ?? input.startAtEpochMs).toISOString(),
    durationMs: output?.durationMs ?? 0,
    incomplete: false,
    nodes: [output?.generator === undefined ? input.coordinator : { ...input.coordinator, generator: output.generator }],
    warnings: output?.warnings.map((warning) => `coordinator: ${warning}`) ?? [],
    reportFiles: [],
    scenarios: output?.stats ?? [],
    timeSeries: output?.timeSeries ?? { intervalMs: input.seriesIntervalMs, points: [] },
  }
}

function agentPart(slot: AgentSlot, input: AssemblyInput, warnings: string[]): SerializedRunResult | undefined {
  const agent = slot.agent
  if (agent === undefined) return undefined
  const lost = slot.state === 'lost'
  const node: NodeInfo = {
    nodeId: agent.agentId,
    nodeType: 'Agent',
    host: agent.host,
    pid: agent.pid,
    scenarios: slot.plan.scenarios,
    partition: slot.plan.partition,
    ...(lost ? { lost: true } : {}),
    ...(!lost && slot.report?.generator !== undefined ? { generator: slot.report.generator } : {}),
  }
  const report = slot.report
  if (report !== undefined && !lost) {
    if (slot.missingIntervals.length > 0) {
      warnings.push(`${missingNote(agent.agentId, slot.missingIntervals)} from the live progress (its final stats hold them)`)
    }
    const landing = startLandingNote(slot, report.startDelayMs)
    if (landing !== undefined) warnings.push(`agent ${describeAgent(agent)} ${landing}`)
    return {
      version: 2,
      // Back into the coordinator's clock.
      startedAt: new Date(report.startedAtEpochMs - slot.clockOffsetMs).toISOString(),
      durationMs: report.durationMs,
      incomplete: false,
      nodes: [node],
      warnings: report.warnings.map((warning) => `agent ${agent.agentId}: ${warning}`),
      reportFiles: [],
      scenarios: [...report.stats],
      timeSeries: report.timeSeries,
    }
  }
  const ledger = slot.intervals
  const points = ledger.receivedPoints
  const throughMs = points.reduce((end, point) => Math.max(end, point.startMs + point.durationMs), 0)
  const missing = ledger.missing()
  warnings.push(
    `agent ${describeAgent(agent)} ${slot.lostReason ?? 'sent no final stats'}; ` +
      (points.length === 0
        ? `nothing it measured for ${quoteList(slot.plan.scenarios)} is in this result (it sent no interval stats)`
        : `its scenarios ${quoteList(slot.plan.scenarios)} count the ${points.length} intervals it sent (up to ${(throughMs / 1000).toFixed(1)} s into the load)`),
  )
  if (missing.length > 0) warnings.push(`${missingNote(agent.agentId, missing)}: its figures lack them`)
  return {
    version: 2,
    startedAt: new Date(input.startAtEpochMs).toISOString(),
    durationMs: throughMs,
    incomplete: true,
    nodes: [node],
    warnings: [],
    reportFiles: [],
    scenarios: ledger.total(),
    timeSeries: { intervalMs: input.seriesIntervalMs, points },
  }
}

/**
 * How far the agent's start may have been off the common start, when more
 * than START_LANDING_WARNING_MS: provably early (its first "running"
 * heartbeat came before the start), late by its own count, or, past
 * OFFSET_DOUBT_MS, uncertain by half the round trip its clock offset was
 * estimated over. (A heartbeat that comes late proves nothing: delivery
 * takes time on a busy machine.)
 */
const OFFSET_DOUBT_MS = 250

function startLandingNote(slot: AgentSlot, ownDelayMs: number): string | undefined {
  const limitMs = START_LANDING_WARNING_MS
  const earlyMs = -(slot.runningHeardMs ?? 0)
  const uncertaintyMs = Number.isFinite(slot.roundTripMs) ? slot.roundTripMs / 2 : 0
  const offset = Math.round(slot.clockOffsetMs)
  const clock = offset === 0 ? "its clock agrees with the coordinator's" : `its clock is ${Math.abs(offset)} ms ${offset > 0 ? 'ahead of' : 'behind'} the coordinator's`
  const why =
    earlyMs > limitMs
      ? `started its load at least ${Math.round(earlyMs)} ms before the common start (its first "running" heartbeat came that early; ${clock})`
      : ownDelayMs > limitMs
        ? `started its load ${Math.round(ownDelayMs)} ms after the common start (the start command reached it late)`
        : uncertaintyMs > OFFSET_DOUBT_MS
          ? `may have started its load up to ${Math.round(uncertaintyMs)} ms off the common start (${clock}, estimated over a ${Math.round(slot.roundTripMs)} ms round trip)`
          : undefined
  return why === undefined ? undefined : `${why}: more than ${limitMs} ms, so its part of the time series is shifted by up to that much`
}

/** "agent a1: 2 intervals missing (3, 7)": interims lost on the way (a broker outage drops what was in flight). */
function missingNote(agentId: string, missing: readonly number[]): string {
  const shown = missing.slice(0, 10).join(', ') + (missing.length > 10 ? ', …' : '')
  return `agent ${agentId}: ${missing.length} interval${missing.length === 1 ? '' : 's'} missing (${shown})`
}

/**
 * Merges every part; a part whose histograms cannot be decoded (a corrupt
 * report) is left out with a warning instead of failing the whole run.
 */
function mergeParts(parts: readonly SerializedRunResult[], warnings: string[]): SerializedRunResult {
  try {
    return mergeRunResults(parts)
  } catch {
    // Merging a part with itself decodes every histogram it holds: that finds the culprit alone.
    return mergeRunResults(
      parts.map((part) => {
        try {
          mergeRunResults([part, part])
          return part
        } catch (error) {
          const who = part.nodes.map((node) => node.nodeId).join(', ')
          warnings.push(`the stats of ${who} could not be merged and are left out: ${error instanceof Error ? error.message : String(error)}`)
          return { ...part, scenarios: [], timeSeries: { intervalMs: part.timeSeries.intervalMs, points: [] }, incomplete: true }
        }
      }),
    )
  }
}
