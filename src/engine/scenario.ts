import type { DurationInput, LoadSimulation } from '../simulations/types.js'
import { Simulation } from '../simulations/index.js'
import { parseDuration } from '../simulations/duration.js'
import { compilePlan } from '../simulations/plan.js'
import type { IterationContext, ScenarioInitContext } from './context.js'
import type { ScenarioResponse } from './response.js'
import { callerFile } from './scenario-origin.js'

export type ScenarioHandler = (ctx: IterationContext) => Promise<ScenarioResponse | void> | ScenarioResponse | void
export type ScenarioHook = (ctx: ScenarioInitContext) => Promise<void> | void

/**
 * The part of a scenario that is plain data: the load shape. In a cluster the
 * coordinator sends its settings with each assignment, so agents supply only
 * code (handler, init, clean) and the coordinating test decides the load.
 */
export interface ScenarioSettings {
  readonly loadSimulations: readonly LoadSimulation[]
  /** 0 = no warm-up (the default: NBomber's 30 s would lengthen every test). */
  readonly warmUpMs: number
  /** A running iteration is aborted through ctx.signal and failed as 'timeout' after this long. */
  readonly iterationTimeoutMs: number
  /** At the end, in-flight iterations get this long to finish before they are aborted. */
  readonly gracefulStopMs: number
  /** Open models: iterations due while this many are in flight are dropped (counted, never skipped silently). */
  readonly maxConcurrency: number
  readonly weight: number
}

export const DEFAULT_SCENARIO_SETTINGS: ScenarioSettings = {
  loadSimulations: [Simulation.iterationsForConstant(1, 1)],
  warmUpMs: 0,
  iterationTimeoutMs: 30_000,
  gracefulStopMs: 5_000,
  maxConcurrency: 10_000,
  weight: 1,
}

const scenarioBrand: unique symbol = Symbol.for('loadspec.scenario') as never

/**
 * A named load scenario. Builder methods return a new Scenario, so a base
 * scenario can be shared between test cases and varied per case.
 */
export class Scenario {
  readonly [scenarioBrand] = true as const

  private constructor(
    readonly name: string,
    readonly handler: ScenarioHandler | undefined,
    readonly init: ScenarioHook | undefined,
    readonly clean: ScenarioHook | undefined,
    readonly settings: ScenarioSettings,
    /** The file that created the scenario (kept by every builder call): what its code fingerprint hashes. */
    readonly originFile: string | undefined,
  ) {}

  static create(name: string, handler: ScenarioHandler): Scenario {
    assertScenarioName(name)
    if (typeof handler !== 'function') {
      throw new TypeError(`Scenario.create("${name}", handler): handler must be a function, got ${typeof handler}`)
    }
    return new Scenario(name, handler, undefined, undefined, DEFAULT_SCENARIO_SETTINGS, callerFile(new Error().stack))
  }

  /** A scenario with no load of its own: only init and clean run (e.g. to seed or tear down data). */
  static empty(name: string): Scenario {
    assertScenarioName(name)
    return new Scenario(name, undefined, undefined, undefined, { ...DEFAULT_SCENARIO_SETTINGS, loadSimulations: [] }, callerFile(new Error().stack))
  }

  /** True for a Scenario from any copy of loadspec (see response.ts for why not instanceof). */
  static isScenario(value: unknown): value is Scenario {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[scenarioBrand] === true
  }

  withInit(init: ScenarioHook): Scenario {
    return new Scenario(this.name, this.handler, init, this.clean, this.settings, this.originFile)
  }

  withClean(clean: ScenarioHook): Scenario {
    return new Scenario(this.name, this.handler, this.init, clean, this.settings, this.originFile)
  }

  withWarmUpDuration(duration: DurationInput): Scenario {
    return this.withSettings({ warmUpMs: parseDuration(duration, `Scenario "${this.name}" withWarmUpDuration`) })
  }

  withoutWarmUp(): Scenario {
    return this.withSettings({ warmUpMs: 0 })
  }

  withLoadSimulations(...simulations: LoadSimulation[]): Scenario {
    if (this.handler === undefined) {
      throw new Error(`Scenario "${this.name}" is empty (Scenario.empty): it has no handler to put load on`)
    }
    if (simulations.length === 0) {
      throw new Error(`Scenario "${this.name}": withLoadSimulations needs at least one simulation`)
    }
    return this.withSettings({ loadSimulations: simulations })
  }

  withIterationTimeout(timeout: DurationInput): Scenario {
    const ms = parseDuration(timeout, `Scenario "${this.name}" withIterationTimeout`)
    if (ms <= 0) throw new RangeError(`Scenario "${this.name}": iteration timeout must be more than 0, got ${String(timeout)}`)
    return this.withSettings({ iterationTimeoutMs: ms })
  }

  withGracefulStop(duration: DurationInput): Scenario {
    return this.withSettings({ gracefulStopMs: parseDuration(duration, `Scenario "${this.name}" withGracefulStop`) })
  }

  withMaxConcurrency(maxConcurrency: number): Scenario {
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
      throw new RangeError(`Scenario "${this.name}": maxConcurrency must be a positive integer, got ${String(maxConcurrency)}`)
    }
    return this.withSettings({ maxConcurrency })
  }

  withWeight(weight: number): Scenario {
    if (!Number.isFinite(weight) || weight <= 0) {
      throw new RangeError(`Scenario "${this.name}": weight must be a positive number, got ${String(weight)}`)
    }
    return this.withSettings({ weight })
  }

  /** The same code with another load shape (how an agent applies the coordinator's settings). */
  withSettings(settings: Partial<ScenarioSettings>): Scenario {
    return new Scenario(this.name, this.handler, this.init, this.clean, { ...this.settings, ...settings }, this.originFile)
  }
}

/**
 * How long a scenario's load plan lasts in ms, warm-up not included:
 * Infinity when it ends by an iteration count, 0 for Scenario.empty. The
 * length deadlines, timeouts and progress are computed from before anything
 * runs. Throws a LoadSimulationError when the simulations do not combine.
 */
export function loadPlanMs(scenario: Scenario): number {
  if (scenario.handler === undefined) return 0
  // injectRandom's length does not depend on the rates it draws: a fixed draw keeps this pure.
  return compilePlan(scenario.settings.loadSimulations, () => 0.5).durationMs
}

function assertScenarioName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError(`A scenario needs a non-empty name, got ${JSON.stringify(name)}`)
  }
}
