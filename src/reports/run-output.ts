/**
 * Everything a run produces besides its result, in one place for the
 * Runner: live progress while load runs, report files and the console
 * summary when it ends. Agents do none of it: they hand their partial result
 * to the coordinator, which reports the merged run.
 */
import type { LoadspecConfig } from '../config/index.js'
import type { Scenario } from '../engine/scenario.js'
import { createRunResult, type RunResult, type SerializedRunResult } from '../result/result.js'
import type { RunProgress } from '../result/progress.js'
import { consoleOutputFor, type ConsoleOutput } from './console-output.js'
import { LiveProgress } from './live-progress.js'
import { plannedDurationMs } from './planned-duration.js'
import { formatRunSummary } from './summary.js'
import { writeRunReports } from './write.js'

export interface RunOutputOptions {
  /** No live progress and no summary on stdout (reports are still written). */
  readonly quiet?: boolean
  /** The caller's own progress listener, called as well as the live display. */
  readonly onProgress?: (progress: RunProgress) => void
  /** Exactly the folder for this run's reports, instead of a new one under ReportFolder. */
  readonly reportsInto?: string
}

const SILENT: ConsoleOutput = { progress: false, summary: false }

export class RunOutput {
  readonly onProgress: ((progress: RunProgress) => void) | undefined
  private readonly progress: LiveProgress | undefined

  private constructor(
    private readonly config: LoadspecConfig,
    private readonly output: ConsoleOutput,
    scenarios: readonly Scenario[],
    callerOnProgress: ((progress: RunProgress) => void) | undefined,
    private readonly reportsInto: string | undefined,
  ) {
    const targeted = config.targetScenarios.length === 0 ? scenarios : scenarios.filter((scenario) => config.targetScenarios.includes(scenario.name))
    this.progress = output.progress ? new LiveProgress(process.stdout, plannedDurationMs(targeted)) : undefined
    const live = this.progress
    this.onProgress =
      live === undefined
        ? callerOnProgress
        : (progress) => {
            live.update(progress)
            callerOnProgress?.(progress)
          }
  }

  static start(config: LoadspecConfig, scenarios: readonly Scenario[], options: RunOutputOptions = {}): RunOutput {
    const isAgent = config.nodeType === 'Agent'
    const output = options.quiet === true || isAgent ? SILENT : consoleOutputFor(process.stdout, process.env)
    return new RunOutput(config, output, scenarios, options.onProgress, options.reportsInto)
  }

  /** The resolved-config line and warnings about the plan, before load starts, where the summary is printed too. */
  announce(configLine: string | undefined, warnings: readonly string[]): void {
    if (!this.output.summary) return
    if (configLine !== undefined) process.stdout.write(`${configLine}\n`)
    for (const warning of warnings) process.stderr.write(`loadspec warning: ${warning}\n`)
  }

  /** Wipes the live progress; call when load ends, also when the run fails. */
  stopProgress(): void {
    this.progress?.finish()
  }

  /** Writes the reports (unless disabled, or on an agent), prints the summary, and returns the result. */
  async finish(serialized: SerializedRunResult): Promise<RunResult> {
    const writesReports = this.config.reportsEnabled && this.config.nodeType !== 'Agent'
    const result = writesReports
      ? await writeRunReports(serialized, {
          reportFolder: this.config.reportFolder,
          formats: this.config.reportFormats,
          ...(this.reportsInto === undefined ? {} : { folder: this.reportsInto }),
        })
      : createRunResult(serialized)
    if (this.output.summary) process.stdout.write('\n' + formatRunSummary(result, { reportFiles: true }))
    return result
  }
}
