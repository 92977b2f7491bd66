/**
 * The one table of load simulation kinds, and what is derived from it. To
 * add a kind: its shape in the LoadSimulation union (types.ts, the wire
 * contract), one module exporting its spec (inject.ts is the model), and its
 * line here. The compiler refuses the table while a kind is missing or a
 * spec sits under another kind's name; `Simulation.*`, the wire schema, the
 * descriptions, the checks and the plan's messages then follow by themselves.
 */
import { formatValue, type LoadSimulationProblem } from './errors.js'
import { injectSpec } from './inject.js'
import { injectRandomSpec } from './inject-random.js'
import { iterationsForConstantSpec } from './iterations-for-constant.js'
import { iterationsForInjectSpec } from './iterations-for-inject.js'
import { keepConstantSpec } from './keep-constant.js'
import { pauseSpec } from './pause.js'
import { ProblemList } from './problems.js'
import { rampingConstantSpec } from './ramping-constant.js'
import { rampingInjectSpec } from './ramping-inject.js'
import type { ClosedStageStart, OpenStageStart, SimulationModel, SimulationOf, SimulationSpecTable } from './spec.js'
import type { ClosedStage, OpenStage } from './stage.js'
import type { LoadSimulation, LoadSimulationKind } from './types.js'

/** In the order messages list the kinds: open ones, closed ones, then those that fit either. */
export const SIMULATION_SPECS = {
  inject: injectSpec,
  rampingInject: rampingInjectSpec,
  injectRandom: injectRandomSpec,
  iterationsForInject: iterationsForInjectSpec,
  keepConstant: keepConstantSpec,
  rampingConstant: rampingConstantSpec,
  iterationsForConstant: iterationsForConstantSpec,
  pause: pauseSpec,
} satisfies SimulationSpecTable

type Specs = typeof SIMULATION_SPECS

/** `Simulation.inject` and the others: each spec's creator under its kind's name. */
export type SimulationCreators = { readonly [K in LoadSimulationKind]: Specs[K]['create'] }

/** Kinds an open plan can hold (their spec has an openStage), and closed likewise. */
export type OpenKind = { [K in LoadSimulationKind]: Specs[K] extends { openStage: unknown } ? K : never }[LoadSimulationKind]
export type ClosedKind = { [K in LoadSimulationKind]: Specs[K] extends { closedStage: unknown } ? K : never }[LoadSimulationKind]
export type OpenSimulation = SimulationOf<OpenKind>
export type ClosedSimulation = SimulationOf<ClosedKind>

export const KINDS = Object.keys(SIMULATION_SPECS) as readonly LoadSimulationKind[]

export function simulationCreators(): SimulationCreators {
  // Object.fromEntries forgets which creator sits under which key; the mapped type above says it.
  return Object.freeze(Object.fromEntries(KINDS.map((kind) => [kind, SIMULATION_SPECS[kind].create]))) as SimulationCreators
}

export function isSimulationKind(value: unknown): value is LoadSimulationKind {
  return typeof value === 'string' && Object.hasOwn(SIMULATION_SPECS, value)
}

export function modelOf(kind: LoadSimulationKind): SimulationModel {
  return SIMULATION_SPECS[kind].model
}

export function endsByIterationCount(kind: LoadSimulationKind): boolean {
  return SIMULATION_SPECS[kind].endsByIterationCount
}

/** The kinds of one model, in the table's order. */
export function kindsOfModel(model: SimulationModel): LoadSimulationKind[] {
  return KINDS.filter((kind) => modelOf(kind) === model)
}

/** Human-readable, e.g. "inject 100 per 1s for 30s". */
export function describeSimulation(sim: LoadSimulation): string {
  return describeKind(sim.kind, sim)
}

export function openStageOf(sim: OpenSimulation, start: OpenStageStart): OpenStage {
  return openStageOfKind(sim.kind, sim, start)
}

export function closedStageOf(sim: ClosedSimulation, start: ClosedStageStart): ClosedStage {
  return closedStageOfKind(sim.kind, sim, start)
}

/**
 * Everything wrong with a value that should be a LoadSimulation, judged by
 * the rules the creators apply (a simulation may come over the wire, or be
 * written by hand as an object literal).
 */
export function simulationProblems(value: unknown): LoadSimulationProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const message = `Load simulation must be an object made by Simulation.* (e.g. Simulation.inject(10, 1, 30)), got ${formatValue(value)}`
    return [{ param: 'simulation', value, message }]
  }
  const kind: unknown = (value as { kind?: unknown }).kind
  if (!isSimulationKind(kind)) {
    return [{ param: 'kind', value: kind, message: `Load simulation: "kind" must be one of ${KINDS.join(', ')}, got ${formatValue(kind)}` }]
  }
  const problems = new ProblemList(`Simulation.${kind}`)
  // The kind is known; the fields are still unchecked, which is what the check is for.
  checkKind(kind, value as LoadSimulation, problems)
  return [...problems.problems]
}

/*
 * Each kind's spec reached through a mapped type indexed by the kind itself,
 * so the compiler sees that `sim` is the kind's own shape (TypeScript's
 * pattern for correlated unions) and no case is written per kind.
 */
const specs: SimulationSpecTable = SIMULATION_SPECS
const openSpecs: { readonly [K in OpenKind]: { openStage(sim: SimulationOf<K>, start: OpenStageStart): OpenStage } } = SIMULATION_SPECS
const closedSpecs: { readonly [K in ClosedKind]: { closedStage(sim: SimulationOf<K>, start: ClosedStageStart): ClosedStage } } = SIMULATION_SPECS

function describeKind<K extends LoadSimulationKind>(kind: K, sim: SimulationOf<K>): string {
  return specs[kind].describe(sim)
}

function checkKind<K extends LoadSimulationKind>(kind: K, sim: SimulationOf<K>, problems: ProblemList): void {
  specs[kind].check(sim, problems)
}

function openStageOfKind<K extends OpenKind>(kind: K, sim: SimulationOf<K>, start: OpenStageStart): OpenStage {
  return openSpecs[kind].openStage(sim, start)
}

function closedStageOfKind<K extends ClosedKind>(kind: K, sim: SimulationOf<K>, start: ClosedStageStart): ClosedStage {
  return closedSpecs[kind].closedStage(sim, start)
}
