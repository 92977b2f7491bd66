/**
 * NodeType Agent: serve sessions until stopped (the run's stop signal,
 * SIGINT or SIGTERM), printing who it is and every session it serves. An
 * agent writes no reports: its figures go to the coordinator. When nobody
 * collects them (the coordinator went silent, or never acknowledged them) it
 * prints its totals and saves them under ReportFolder, for `loadspec report
 * --merge`. An agent that
 * another process with the same agent id outranks leaves: the run fails with
 * a `duplicate-agent-id` ClusterError naming the process that keeps the id.
 */
import { hostname } from 'node:os'
import { resolve } from 'node:path'
import type { SerializedRunResult } from '../result/result.js'
import type { ModeRequest } from './mode-request.js'
import { selectTargetScenarios } from '../engine/targeting.js'
import { ClusterAgent, type AgentEvent } from '../cluster/agent/agent.js'
import type { ScenarioTotals, SessionOutcome } from '../cluster/agent/agent-session.js'
import type { SavedStats } from '../cluster/agent/saved-stats.js'
import { ClusterError, quoteList } from '../cluster/errors.js'
import { consoleClusterLog, type ClusterLog } from '../cluster/log.js'
import { createTransportFactory } from '../cluster/transport/factory.js'
import { untilStopped } from './until-stopped.js'

export interface AgentModeOptions {
  /**
   * A fixed agent id (letters, digits, "-", "_"), e.g. for NATS permissions
   * that let each agent subscribe to its own subject only. Default:
   * `<host>-<pid>-<random>`.
   */
  readonly agentId?: string
}

export async function runAgentMode(request: ModeRequest, options: AgentModeOptions = {}): Promise<SerializedRunResult> {
  const { config } = request
  const scenarios = selectTargetScenarios(request.scenarios, config.targetScenarios)
  const log = consoleClusterLog('loadspec agent')
  const transports = createTransportFactory(config, log)
  const transport = await transports.connect(`loadspec agent ${hostname()}:${process.pid}`)
  const startedAtEpochMs = Date.now()
  const agent = new ClusterAgent({
    scenarios,
    transport,
    clusterId: config.clusterId,
    agentGroup: config.agentGroup,
    ...(options.agentId === undefined ? {} : { agentId: options.agentId }),
    log,
    onEvent: (event) => printEvent(log, event),
    savedStatsFolder: resolve(config.reportFolder),
  })
  try {
    agent.start()
    log.info(
      `agent ${agent.agentId} (host ${agent.host}, pid ${agent.pid}) joined ClusterId "${config.clusterId}" / AgentGroup "${config.agentGroup}" ` +
        `on ${transport.description}; registered scenarios: ${quoteList(scenarios.map((scenario) => scenario.name))}; waiting for a coordinator`,
    )
    const stopped = untilStopped(request.stopSignal)
    const outcome = await Promise.race([stopped.reason.then((reason) => ({ reason })), agent.retired.then((retirement) => ({ retirement }))])
    stopped.dispose()
    if ('retirement' in outcome) throw new ClusterError('duplicate-agent-id', `loadspec agent: ${outcome.retirement.message}`)
    log.info(`agent ${agent.agentId} stopping (${outcome.reason}) after ${agent.sessionsServed} session${agent.sessionsServed === 1 ? '' : 's'}`)
    await agent.stop(outcome.reason)
  } finally {
    await transport.close()
    await transports.close()
  }
  return {
    version: 2,
    startedAt: new Date(startedAtEpochMs).toISOString(),
    durationMs: Date.now() - startedAtEpochMs,
    incomplete: false,
    nodes: [{ nodeId: agent.agentId, nodeType: 'Agent', host: agent.host, pid: agent.pid, scenarios: scenarios.map((s) => s.name), partition: { number: 0, count: 1 } }],
    warnings: [],
    reportFiles: [],
    scenarios: [],
    timeSeries: { intervalMs: config.reportingIntervalMs ?? 1000, points: [] },
  }
}

function printEvent(log: ClusterLog, event: AgentEvent): void {
  if (event.type === 'session-started') {
    log.info(
      `session ${event.sessionId} from coordinator ${event.coordinatorId}: ${quoteList(event.scenarios)}, ` +
        `partition ${event.partition.number + 1} of ${event.partition.count}`,
    )
    return
  }
  // A retirement is the run's error: agent-mode reports it once, as its failure.
  if (event.type === 'retired') return
  log.info(`session ${event.sessionId} ${describeOutcome(event.outcome)}`)
}

function describeOutcome(outcome: SessionOutcome): string {
  switch (outcome.kind) {
    case 'completed':
      // The agent's own count, to compare with the merged result (a lost final would show as a difference).
      return `done: ${outcome.requests} requests, final stats acknowledged${outcome.finalSends > 1 ? ` after ${outcome.finalSends} sends` : ''} (${describeTotals(outcome.totals)})`
    case 'refused':
      return `refused (${outcome.code}): ${outcome.message}`
    case 'failed':
      return `failed: ${outcome.message}`
    case 'cancelled':
      return `cancelled: ${outcome.reason}`
    case 'coordinator-lost':
      return (
        `abandoned: the coordinator was silent for ${Math.round(outcome.silentMs)} ms` +
        (outcome.disconnectedMs === undefined ? '' : ` (this agent was disconnected from NATS for ${Math.round(outcome.disconnectedMs)} ms: broker down or unreachable)`) +
        '; load stopped, clean ran' +
        (outcome.own === undefined ? '' : `; its own figures: ${outcome.own.requests} requests (${describeTotals(outcome.own.totals)})${describeSaved(outcome.saved)}`) +
        '; waiting for a new session'
      )
    case 'unacknowledged':
      return `ended: ${outcome.requests} requests (${describeTotals(outcome.totals)}), but the coordinator never acknowledged the final stats (sent ${outcome.finalSends} times)${describeSaved(outcome.saved)}`
  }
}

function describeSaved(saved: SavedStats | undefined): string {
  if (saved === undefined) return ''
  return 'path' in saved ? `, saved to ${saved.path} (loadspec report --merge can use it)` : `, which could not be saved (${saved.error})`
}

function describeTotals(totals: readonly ScenarioTotals[]): string {
  return totals.length === 0 ? 'no scenarios with load' : totals.map((entry) => `${entry.scenario}: ${entry.ok} ok, ${entry.fail} failed`).join('; ')
}
