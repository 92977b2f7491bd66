import { Runner, type RunResult, type Scenario } from '../../src/index.js'

/** Runs scenarios on this process with nothing read from argv, env or files, and no reports. */
export function runLocally(...scenarios: Scenario[]): Promise<RunResult> {
  return Runner.registerScenarios(...scenarios).withConfigSources({ argv: [], env: {} }).withoutReports().run()
}
