/**
 * What helpers such as `loadspec/http` reach through an iteration context:
 * abort notification without an AbortSignal, and resources (connection
 * pools) that live exactly as long as the scenario runs on this node.
 *
 * Reached under a registered symbol, so the public IterationContext stays
 * as DESIGN.md names it, and a context made by another copy of loadspec (an
 * agent that loads scenario modules through Vite) still offers them.
 */
export const iterationServices: unique symbol = Symbol.for('loadspec.iterationServices') as never

/** Something in flight that an aborted iteration should cancel. */
export interface Abortable {
  abort(reason: unknown): void
}

/** Something a scenario's run owns and gives back when it ends (a pool's sockets). */
export interface ScenarioResource {
  dispose(): Promise<void> | void
}

export interface IterationServices {
  /**
   * Calls `abortable.abort(reason)` when the current iteration is aborted
   * (at once if it already is). An AbortSignal listener does the same, but
   * costs an AbortController per iteration and an EventTarget listener per
   * request; this costs two field writes.
   */
  watchAbort(abortable: Abortable): void
  unwatchAbort(abortable: Abortable): void
  readonly scenarioResources: ScenarioResources
}

export interface IterationServicesHost {
  readonly [iterationServices]: IterationServices
}

/** The services of an iteration context, or undefined for any other object (an init context, a hand-made one). */
export function iterationServicesOf(ctx: object): IterationServices | undefined {
  return (ctx as Partial<IterationServicesHost>)[iterationServices]
}

/**
 * Resources of one scenario running on one node. A run is one or two phases
 * (warm-up, then measurement) that node-run starts back to back without
 * yielding to the event loop in between, so resources are released when a
 * phase ends and no next phase has claimed them by the next macrotask: a
 * warm-up hands its warm connections to the measurement, and nothing
 * outlives the run. Should a later phase come after all, it simply creates
 * them again.
 */
export class ScenarioResources {
  private readonly byKey = new Map<object, ScenarioResource>()
  private releaseTimer: NodeJS.Immediate | undefined

  /**
   * @param concurrency the most iterations this scenario can have in flight
   *   on this node (its copies in a closed model, its maxConcurrency in an
   *   open one): what a connection pool is sized from.
   */
  constructor(readonly concurrency: number) {}

  /**
   * The resource kept under `key` for this run, created on first use.
   * `create` receives this set (for `concurrency`), so callers can pass one
   * function made once instead of a closure made per call.
   */
  use<T extends ScenarioResource>(key: object, create: (resources: ScenarioResources) => T): T {
    const existing = this.byKey.get(key)
    if (existing !== undefined) return existing as T
    const created = create(this)
    this.byKey.set(key, created)
    return created
  }

  /** A phase starts: keep what the previous phase left. */
  claim(): void {
    if (this.releaseTimer !== undefined) {
      clearImmediate(this.releaseTimer)
      this.releaseTimer = undefined
    }
  }

  /** A phase ended: release everything unless another phase claims it first. */
  releaseSoon(): void {
    this.releaseTimer ??= setImmediate(() => {
      this.releaseTimer = undefined
      void this.releaseNow()
    })
  }

  /** Disposes every resource now; later use creates new ones. Never rejects. */
  async releaseNow(): Promise<void> {
    const resources = [...this.byKey.values()]
    this.byKey.clear()
    // A failing dispose must not hide the others: the run is over and nothing is left to report it to.
    await Promise.allSettled(resources.map(async (resource) => resource.dispose()))
  }
}
