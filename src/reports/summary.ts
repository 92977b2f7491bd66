/**
 * The end-of-run summary in plain text: what the console shows after a run
 * and what the txt report holds. Built from the same stats table that
 * matcher failures print, so a figure reads the same everywhere.
 */
import { relative, isAbsolute } from 'node:path'
import type { RunResult } from '../result/result.js'
import { formatDuration } from './format.js'
import { formatStatsTable } from './stats-table.js'

export interface RunSummaryOptions {
  /** List the report files written (the console does; the txt report, one of them, does not). */
  readonly reportFiles?: boolean
  /** Report paths are shown relative to this folder when inside it (default: process.cwd()). */
  readonly cwd?: string
}

export function formatRunSummary(result: RunResult, options: RunSummaryOptions = {}): string {
  const blocks = [headline(result)]
  if (result.incomplete) blocks.push('INCOMPLETE: some node\'s figures are missing or partial; see the warnings below.')
  if (result.scenarioStats.length === 0) blocks.push('No scenario ran load.')
  for (const scenario of result.scenarioStats) {
    blocks.push(formatStatsTable(scenario))
    for (const step of scenario.stepStats) blocks.push(formatStatsTable(step))
  }
  if (result.nodes.length > 1 || result.nodes.some((node) => node.lost === true)) blocks.push(nodeLines(result).join('\n'))
  if (result.warnings.length > 0) blocks.push(['warnings:', ...result.warnings.map((warning) => `  - ${warning}`)].join('\n'))
  if (options.reportFiles === true && result.reportFiles.length > 0) {
    const cwd = options.cwd ?? process.cwd()
    blocks.push(['reports:', ...result.reportFiles.map((file) => `  ${displayPath(file, cwd)}`)].join('\n'))
  }
  return blocks.join('\n\n') + '\n'
}

function headline(result: RunResult): string {
  const scenarios = result.scenarioStats.length
  const nodes = result.nodes.length
  return (
    `loadspec: ${scenarios} ${scenarios === 1 ? 'scenario' : 'scenarios'} on ${nodes} ${nodes === 1 ? 'node' : 'nodes'}, ` +
    `${formatDuration(result.durationMs)}, started ${result.startedAt}`
  )
}

function nodeLines(result: RunResult): string[] {
  return [
    'nodes:',
    ...result.nodes.map(
      (node) =>
        `  ${node.nodeId} (${node.nodeType}, ${node.host} pid ${node.pid}): ${node.scenarios.join(', ') || 'no scenarios'}` +
        `, partition ${node.partition.number + 1} of ${node.partition.count}${node.lost === true ? ', LOST: intervals received' : ''}`,
    ),
  ]
}

function displayPath(file: string, cwd: string): string {
  const fromCwd = relative(cwd, file)
  return fromCwd !== '' && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : file
}
