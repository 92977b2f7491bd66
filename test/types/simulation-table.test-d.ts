/**
 * The table of load simulation kinds is checked by the compiler against the
 * LoadSimulationKind union: a kind left out, one too many, or a spec under
 * another kind's name does not compile. And `Simulation.*`, derived from the
 * table, keeps the public signatures.
 */
import { describe, expectTypeOf, test } from 'vitest'
import { Simulation, type DurationInput, type LoadSimulation, type LoadSimulationKind } from '../../src/simulations/index.js'
import { injectSpec } from '../../src/simulations/inject.js'
import { SIMULATION_SPECS, type OpenKind, type ClosedKind } from '../../src/simulations/kinds.js'
import type { SimulationOf, SimulationSpec, SimulationSpecTable } from '../../src/simulations/spec.js'

type Of<K extends LoadSimulationKind> = Extract<LoadSimulation, { kind: K }>

describe('the simulation table', () => {
  test('holds one spec for every kind of the union, under its own name', () => {
    expectTypeOf(SIMULATION_SPECS).toExtend<SimulationSpecTable>()
    expectTypeOf<keyof typeof SIMULATION_SPECS>().toEqualTypeOf<LoadSimulationKind>()
  })

  test('does not compile with a kind missing', () => {
    const { pause: _pause, ...withoutPause } = SIMULATION_SPECS
    // @ts-expect-error Property 'pause' is missing
    const table: SimulationSpecTable = withoutPause
    void table
  })

  test('does not compile with a kind the union does not have', () => {
    const table = {
      ...SIMULATION_SPECS,
      // @ts-expect-error 'spike' is not a LoadSimulationKind
      spike: injectSpec,
    } satisfies SimulationSpecTable
    void table
  })

  test("does not compile with a spec under another kind's name", () => {
    // @ts-expect-error injectSpec's kind is 'inject', not 'pause'
    const table: SimulationSpecTable = { ...SIMULATION_SPECS, pause: injectSpec }
    void table
  })

  test("a spec's schema must give its kind's whole shape", () => {
    // @ts-expect-error the schema drops "duringMs", so its output is not an inject simulation
    const spec: SimulationSpec<'inject'> = { ...injectSpec, schema: injectSpec.schema.omit({ duringMs: true }) }
    void spec
  })

  test('the models follow the specs: pause fits either plan', () => {
    expectTypeOf<OpenKind>().toEqualTypeOf<'inject' | 'rampingInject' | 'injectRandom' | 'iterationsForInject' | 'pause'>()
    expectTypeOf<ClosedKind>().toEqualTypeOf<'keepConstant' | 'rampingConstant' | 'iterationsForConstant' | 'pause'>()
    expectTypeOf<SimulationOf<'pause'>>().toEqualTypeOf<{ kind: 'pause'; duringMs: number }>()
  })
})

describe('Simulation.*, derived from the table, keeps its public signatures', () => {
  test('every creator', () => {
    expectTypeOf(Simulation.inject).toEqualTypeOf<(rate: number, interval: DurationInput, during: DurationInput) => Of<'inject'>>()
    expectTypeOf(Simulation.rampingInject).toEqualTypeOf<(rate: number, interval: DurationInput, during: DurationInput) => Of<'rampingInject'>>()
    expectTypeOf(Simulation.injectRandom).toEqualTypeOf<
      (minRate: number, maxRate: number, interval: DurationInput, during: DurationInput) => Of<'injectRandom'>
    >()
    expectTypeOf(Simulation.keepConstant).toEqualTypeOf<(copies: number, during: DurationInput) => Of<'keepConstant'>>()
    expectTypeOf(Simulation.rampingConstant).toEqualTypeOf<(copies: number, during: DurationInput) => Of<'rampingConstant'>>()
    expectTypeOf(Simulation.iterationsForConstant).toEqualTypeOf<(copies: number, iterations: number) => Of<'iterationsForConstant'>>()
    expectTypeOf(Simulation.iterationsForInject).toEqualTypeOf<(rate: number, interval: DurationInput, iterations: number) => Of<'iterationsForInject'>>()
    expectTypeOf(Simulation.pause).toEqualTypeOf<(during: DurationInput) => Of<'pause'>>()
    expectTypeOf<keyof typeof Simulation>().toEqualTypeOf<LoadSimulationKind>()
  })

  test('is read-only', () => {
    // @ts-expect-error Simulation's creators cannot be replaced
    Simulation.inject = Simulation.inject
  })
})
