/**
 * Load simulations are plain, serializable data: the coordinator sends them
 * to agents inside an assignment. All durations are held in milliseconds;
 * rates are iterations per `intervalMs`.
 */
export type LoadSimulation =
  | { kind: 'inject'; rate: number; intervalMs: number; duringMs: number }
  | { kind: 'rampingInject'; rate: number; intervalMs: number; duringMs: number }
  | { kind: 'injectRandom'; minRate: number; maxRate: number; intervalMs: number; duringMs: number }
  | { kind: 'keepConstant'; copies: number; duringMs: number }
  | { kind: 'rampingConstant'; copies: number; duringMs: number }
  | { kind: 'iterationsForConstant'; copies: number; iterations: number }
  | { kind: 'iterationsForInject'; rate: number; intervalMs: number; iterations: number }
  | { kind: 'pause'; duringMs: number }

export type LoadSimulationKind = LoadSimulation['kind']

/** A duration as users write it: a number of seconds, or '250ms' | '30s' | '2m' | '1h'. */
export type DurationInput = number | string

/** A pause stage of a plan, in ms after the plan's start: no load, and no part of the measured window. */
export interface PauseSpan {
  readonly startMs: number
  readonly endMs: number
}

/**
 * Open model: iterations start on a schedule whatever the target does.
 * Every function is pure: the scheduler turns it into iterations.
 */
export interface OpenPlan {
  readonly model: 'open'
  /** Length of the whole plan in ms (for iterationsForInject: iterations / rate * interval). */
  readonly durationMs: number
  /** Total iterations the plan will start (finite for every open plan). */
  readonly totalIterations: number
  /** Its pause stages, in order (rps leaves them out of the measured window). */
  readonly pausesMs: readonly PauseSpan[]
  /** When (ms after the plan's start) iteration `index` (0-based) is due; Infinity past the last one. */
  dueAtMs(index: number): number
  /** How many iterations should have started by `tMs` (due time <= tMs). */
  startedBy(tMs: number): number
  /** The open rate (iterations per second) at `tMs`, for reports and timeouts. */
  ratePerSecondAt(tMs: number): number
}

/**
 * Closed model: a number of copies (virtual users) each run iterations back
 * to back.
 */
export interface ClosedPlan {
  readonly model: 'closed'
  /** Length in ms; Infinity for iterationsForConstant (ends when the iterations are done). */
  readonly durationMs: number
  /** Iterations shared by all copies (iterationsForConstant), or undefined for time-bound plans. */
  readonly iterationLimit: number | undefined
  /** The highest number of copies the plan ever asks for. */
  readonly maxCopies: number
  /** Its pause stages, in order (rps leaves them out of the measured window). */
  readonly pausesMs: readonly PauseSpan[]
  /** How many copies should be running at `tMs` (an integer >= 0). */
  copiesAt(tMs: number): number
  /** The times (ms, ascending) at which copiesAt changes value, so a scheduler can sleep between them. */
  changePointsMs(): readonly number[]
}

export type LoadPlan = OpenPlan | ClosedPlan
