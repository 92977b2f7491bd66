/**
 * What an agent does with its figures when nobody will collect them (its
 * coordinator went silent, or never acknowledged the final stats): it
 * writes them as a saved run result, `<folder>/agent-<agentId>/<sessionId>.json`,
 * the format `loadspec report` reads, so `loadspec report --merge` can put
 * the agents' files together into the result the coordinator never made.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type { Partition } from '../../engine/context.js'
import type { NodeRunOutput } from '../../engine/node-run.js'
import type { SerializedRunResult } from '../../result/result.js'

/** What the agent itself counted for one scenario (logged, so a test or an operator can compare with the merged result). */
export interface ScenarioTotals {
  readonly scenario: string
  readonly ok: number
  readonly fail: number
}

export interface OwnFigures {
  readonly requests: number
  readonly totals: readonly ScenarioTotals[]
}

/** Where the figures went: a file, or why not. */
export type SavedStats = { readonly path: string } | { readonly error: string }

export interface SessionIdentity {
  readonly agentId: string
  readonly sessionId: string
  readonly coordinatorId: string
  readonly partition: Partition
}

export function ownFigures(output: NodeRunOutput): OwnFigures {
  const totals = output.stats.map((stats) => ({ scenario: stats.scenarioName, ok: stats.ok.count, fail: stats.fail.count }))
  return { totals, requests: totals.reduce((sum, entry) => sum + entry.ok + entry.fail, 0) }
}

/** Writes the session's own figures (whole file or none: written aside, then renamed). */
export async function saveOwnStats(folder: string, session: SessionIdentity, output: NodeRunOutput, why: string): Promise<SavedStats> {
  const path = join(folder, `agent-${session.agentId}`, `${session.sessionId}.json`)
  const result: SerializedRunResult = {
    version: 2,
    startedAt: new Date(output.startedAtEpochMs).toISOString(),
    durationMs: output.durationMs,
    incomplete: false,
    nodes: [
      {
        nodeId: session.agentId,
        nodeType: 'Agent',
        host: hostname(),
        pid: process.pid,
        scenarios: output.stats.map((stats) => stats.scenarioName),
        partition: session.partition,
        ...(output.generator === undefined ? {} : { generator: output.generator }),
      },
    ],
    warnings: [
      `agent ${session.agentId} saved its own figures of session ${session.sessionId} (coordinator ${session.coordinatorId}) itself: ${why}`,
      ...output.warnings.map((warning) => `agent ${session.agentId}: ${warning}`),
    ],
    reportFiles: [],
    scenarios: output.stats,
    timeSeries: output.timeSeries,
  }
  try {
    await mkdir(join(folder, `agent-${session.agentId}`), { recursive: true })
    const aside = `${path}.${process.pid}.tmp`
    await writeFile(aside, JSON.stringify(result))
    await rename(aside, path)
    return { path }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  }
}
