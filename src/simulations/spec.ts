/**
 * What one load simulation kind is made of, in one place (k6 keeps each
 * executor's config, validation, description and requirements in one file):
 * every module such as inject.ts exports one spec, and kinds.ts lists them
 * in one table that the compiler checks against the LoadSimulationKind union.
 * The union schema, the model of each kind, descriptions and problems are
 * derived from that table, so nothing else spells a kind out.
 */
import type { z } from 'zod'
import type { ProblemList } from './problems.js'
import type { ClosedStage, OpenStage } from './stage.js'
import type { LoadSimulation, LoadSimulationKind } from './types.js'

/** The data of one kind, as the creator returns it and as it travels. */
export type SimulationOf<K extends LoadSimulationKind> = Extract<LoadSimulation, { kind: K }>

/** Which scheduler a kind needs; `pause` fits either. */
export type SimulationModel = 'open' | 'closed' | 'either'

/** Where an open stage starts: ramps start from the rate the stage before ended at. */
export interface OpenStageStart {
  /** Iterations per ms at the end of the stage before (0 first and after a pause). */
  readonly previousRatePerMs: number
  /** Drawn from only by injectRandom, once per interval, when the plan is compiled. */
  readonly random: () => number
}

/** Where a closed stage starts: closed stages hold absolute times (see ClosedStage). */
export interface ClosedStageStart {
  readonly startMs: number
  /** Copies at the end of the stage before (0 first and after a pause). */
  readonly previousCopies: number
}

interface CommonSpec<K extends LoadSimulationKind> {
  readonly kind: K
  /** The public creator, `Simulation.<kind>`: checks its arguments (all problems at once) and returns plain data. */
  readonly create: (...args: never[]) => SimulationOf<K>
  /** The shape as it travels; `check` then judges its values. Only field types here: the words live in `check`. */
  readonly schema: z.ZodType<SimulationOf<K>> & z.core.$ZodTypeDiscriminable
  /** The creator's rules for a simulation that arrived as data (over the wire, or an object literal), in the creator's words. */
  check(sim: SimulationOf<K>, problems: ProblemList): void
  /** Human-readable, e.g. "inject 100 per 1s for 30s". */
  describe(sim: SimulationOf<K>): string
  /** Ends by an iteration count rather than a time, so it must be a scenario's only simulation. */
  readonly endsByIterationCount: boolean
}

export interface OpenSimulationSpec<K extends LoadSimulationKind> extends CommonSpec<K> {
  readonly model: 'open'
  openStage(sim: SimulationOf<K>, start: OpenStageStart): OpenStage
}

export interface ClosedSimulationSpec<K extends LoadSimulationKind> extends CommonSpec<K> {
  readonly model: 'closed'
  closedStage(sim: SimulationOf<K>, start: ClosedStageStart): ClosedStage
}

export interface EitherSimulationSpec<K extends LoadSimulationKind> extends CommonSpec<K> {
  readonly model: 'either'
  openStage(sim: SimulationOf<K>, start: OpenStageStart): OpenStage
  closedStage(sim: SimulationOf<K>, start: ClosedStageStart): ClosedStage
}

export type SimulationSpec<K extends LoadSimulationKind> = OpenSimulationSpec<K> | ClosedSimulationSpec<K> | EitherSimulationSpec<K>

/** One spec under each kind's own name: a kind left out, one too many, or a spec under another kind's name does not compile. */
export type SimulationSpecTable = { readonly [K in LoadSimulationKind]: SimulationSpec<K> }
