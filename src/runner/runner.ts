import type { Scenario } from '../engine/scenario.js'
import { resolveConfigWithSources, resolvedConfigLine, type ConfigResolution, type LoadspecConfig, type LoadspecConfigInput, type NodeType } from '../config/index.js'
import { runInMode } from '../modes/index.js'
import type { RunProgress } from '../result/progress.js'
import type { RunResult, SerializedRunResult } from '../result/result.js'
import { RunOutput } from '../reports/run-output.js'
import { scenarioPlanWarnings } from '../engine/plan-warnings.js'
import { assertUniqueScenarioNames } from '../engine/targeting.js'

type ReportFormat = NonNullable<LoadspecConfig['reportFormats']>[number]

/**
 * The runner builder of LoadStrike's SDK (`Runner.registerScenarios(...)`,
 * then `with…` calls and `run()`). Options set here win over the JSON config
 * file and lose to `LOADSPEC_<KEY>` environment variables and CLI
 * `--Key=value` (k6's order: what a person types when starting a run beats
 * what the code says); everything is validated together when `run()` starts.
 */
export class RunnerBuilder {
  private constructor(
    private readonly scenarios: readonly Scenario[],
    private readonly input: LoadspecConfigInput,
    private readonly sources: ConfigSources,
  ) {}

  static create(scenarios: readonly Scenario[]): RunnerBuilder {
    assertUniqueScenarioNames(scenarios)
    return new RunnerBuilder(scenarios, {}, { argv: process.argv.slice(2), env: process.env })
  }

  withNodeType(nodeType: NodeType): RunnerBuilder {
    return this.with({ nodeType })
  }
  withClusterId(clusterId: string): RunnerBuilder {
    return this.with({ clusterId })
  }
  withAgentGroup(agentGroup: string): RunnerBuilder {
    return this.with({ agentGroup })
  }
  withAgentsCount(agentsCount: number): RunnerBuilder {
    return this.with({ agentsCount })
  }
  withNatsServerUrl(natsServerUrl: string | readonly string[]): RunnerBuilder {
    return this.with({ natsServerUrl: typeof natsServerUrl === 'string' ? natsServerUrl : [...natsServerUrl] })
  }
  withTargetScenarios(...scenarioNames: string[]): RunnerBuilder {
    return this.with({ targetScenarios: scenarioNames })
  }
  withAgentTargetScenarios(...scenarioNames: string[]): RunnerBuilder {
    return this.with({ agentTargetScenarios: scenarioNames })
  }
  withCoordinatorTargetScenarios(...scenarioNames: string[]): RunnerBuilder {
    return this.with({ coordinatorTargetScenarios: scenarioNames })
  }
  withClusterCommandTimeout(timeoutMs: number): RunnerBuilder {
    return this.with({ clusterCommandTimeoutMs: timeoutMs })
  }
  enableLocalDevCluster(enabled: boolean): RunnerBuilder {
    return this.with({ enableLocalDevCluster: enabled })
  }
  withReportFolder(reportFolder: string): RunnerBuilder {
    return this.with({ reportFolder })
  }
  withReportFormats(...reportFormats: ReportFormat[]): RunnerBuilder {
    return this.with({ reportFormats, reportsEnabled: true })
  }
  withoutReports(): RunnerBuilder {
    return this.with({ reportsEnabled: false })
  }
  /** Accepted so that LoadStrike code runs unchanged; loadspec needs no licence key. */
  withRunnerKey(runnerKey: string): RunnerBuilder {
    return this.with({ runnerKey })
  }
  /** A JSON config file in LoadStrike's layout ({"LoadStrike": {...}} or {"loadspec": {...}}). */
  loadConfig(configFile: string): RunnerBuilder {
    return new RunnerBuilder(this.scenarios, this.input, { ...this.sources, configFile })
  }
  /** Any config keys at once (camelCase), as the Vitest plugin passes them. */
  withConfig(input: LoadspecConfigInput): RunnerBuilder {
    return this.with(input)
  }
  /**
   * Where CLI options and environment variables are read from (default:
   * process.argv and process.env). Pass empty ones to use only builder calls
   * and the config file.
   */
  withConfigSources(sources: { argv?: readonly string[]; env?: Record<string, string | undefined> }): RunnerBuilder {
    return new RunnerBuilder(this.scenarios, this.input, { ...this.sources, ...sources })
  }

  /** Validates the whole configuration at once; throws a ConfigError listing every problem. */
  resolveConfig(): LoadspecConfig {
    return this.resolveWithSources().config
  }

  private resolveWithSources(): ConfigResolution {
    return resolveConfigWithSources({
      builder: this.input,
      argv: this.sources.argv,
      env: this.sources.env,
      ...(this.sources.configFile === undefined ? {} : { configFile: this.sources.configFile }),
    })
  }

  async run(options: RunOptions = {}): Promise<RunResult> {
    const resolution = this.resolveWithSources()
    const { config } = resolution
    // Live progress on a terminal while load runs; reports and the summary when it ends (see reports/run-output.ts).
    const output = RunOutput.start(config, this.scenarios, options)
    // An agent runs the coordinator's load shapes, and the coordinator warns about them.
    const targeted = config.targetScenarios.length === 0 ? this.scenarios : this.scenarios.filter((scenario) => config.targetScenarios.includes(scenario.name))
    const planWarnings = config.nodeType === 'Agent' ? [] : scenarioPlanWarnings(targeted)
    output.announce(resolvedConfigLine(resolution, { builderLabel: 'builder' }), planWarnings)
    let serialized: SerializedRunResult
    try {
      serialized = await runInMode({
        scenarios: this.scenarios,
        config,
        ...(options.stopSignal === undefined ? {} : { stopSignal: options.stopSignal }),
        ...(output.onProgress === undefined ? {} : { onProgress: output.onProgress }),
      })
    } finally {
      output.stopProgress()
    }
    return output.finish(planWarnings.length === 0 ? serialized : { ...serialized, warnings: [...planWarnings, ...serialized.warnings] })
  }

  private with(input: LoadspecConfigInput): RunnerBuilder {
    return new RunnerBuilder(this.scenarios, { ...this.input, ...input }, this.sources)
  }
}

export interface RunOptions {
  /** Aborting it stops the run gracefully; what was measured so far is returned. */
  readonly stopSignal?: AbortSignal
  /** Cumulative stats about once a second while load runs. */
  readonly onProgress?: (progress: RunProgress) => void
  /**
   * No live progress and no summary on stdout. Without it, a terminal shows
   * live progress (not in CI) and the summary is printed at the end, except
   * inside Vitest or Jest, whose reporters show results their own way.
   */
  readonly quiet?: boolean
  /**
   * Write this run's reports into exactly this folder (created when the
   * first file is written) instead of a new timestamped folder under
   * ReportFolder: how loadScenario puts each test's files into its test run.
   */
  readonly reportsInto?: string
}

interface ConfigSources {
  readonly argv: readonly string[]
  readonly env: Record<string, string | undefined>
  readonly configFile?: string
}

export const Runner = {
  registerScenarios(...scenarios: Scenario[]): RunnerBuilder {
    return RunnerBuilder.create(scenarios)
  },
}
