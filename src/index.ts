// loadspec's engine API: independent of any test runner.
export { Scenario, DEFAULT_SCENARIO_SETTINGS } from './engine/scenario.js'
export type { ScenarioHandler, ScenarioHook, ScenarioSettings } from './engine/scenario.js'
export { Response, isResponse } from './engine/response.js'
export type { ScenarioResponse, StatusCodeInput } from './engine/response.js'
export { Step, StepFailedError } from './engine/step.js'
export type {
  IterationContext,
  ScenarioInitContext,
  ScenarioInfo,
  Partition,
  Logger,
  RandomSource,
} from './engine/context.js'
export { EXCEPTION_STATUS, INVALID_RESPONSE_STATUS, TIMEOUT_STATUS, INTERRUPTED_STATUS } from './engine/outcome.js'
export { ScenarioInitError, runScenariosOnNode } from './engine/node-run.js'
export type { NodeRunOptions, NodeRunOutput } from './engine/node-run.js'
export { Simulation } from './simulations/index.js'
export type { LoadSimulation, DurationInput } from './simulations/types.js'
export { Runner, RunnerBuilder } from './runner/runner.js'
export type { RunOptions } from './runner/runner.js'
export { startCoordinatorService, runCoordinatorService, type CoordinatorServiceHandle } from './modes/service-entry.js'
export { createRunResult, isRunResult } from './result/result.js'
export type { RunResult, SerializedRunResult, NodeInfo, NodeType } from './result/result.js'
export type { RunProgress } from './result/progress.js'
export type {
  ScenarioStats,
  StepStats,
  MeasurementStats,
  LatencyStats,
  DataTransferStats,
  RequestCountStats,
  StatusCodeStats,
  ErrorStats,
  SerializedScenarioStats,
  SerializedDistribution,
  MeasuredWindow,
} from './stats/types.js'
export { buildScenarioStats, mergeScenarioStats } from './stats/index.js'
export { ConfigError, resolveConfig } from './config/index.js'
export type { LoadspecConfig, LoadspecConfigInput } from './config/index.js'
export { formatRunSummary, renderReport, writeReportFiles, parseRunResultJson } from './reports/index.js'
export type { RunSummaryOptions } from './reports/index.js'
