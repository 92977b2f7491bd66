import { z } from 'zod'
import { KINDS, SIMULATION_SPECS, simulationProblems } from './kinds.js'
import { planProblems } from './plan.js'
import type { LoadSimulation, LoadSimulationKind } from './types.js'

type KindSchema = (typeof SIMULATION_SPECS)[LoadSimulationKind]['schema']
// The table holds every kind (the compiler sees to that), so the list is never empty.
const kindSchemas = KINDS.map((kind) => SIMULATION_SPECS[kind].schema) as [KindSchema, ...KindSchema[]]

/**
 * Checks a LoadSimulation received over the wire: zod checks the shape (each
 * kind's spec gives its own), then the same rules as the Simulation.*
 * creators apply, word for word.
 */
export const loadSimulationSchema = z
  .discriminatedUnion('kind', kindSchemas)
  .superRefine((sim, ctx) => {
    for (const problem of simulationProblems(sim)) ctx.addIssue({ code: 'custom', message: problem.message, path: [problem.param] })
  })

/** A scenario's whole list: each simulation, then the rules for combining them (compilePlan's). */
export const loadSimulationListSchema = z.array(loadSimulationSchema).superRefine((simulations, ctx) => {
  // Each simulation's own problems were reported by the element schema already.
  const seen = new Set(simulations.flatMap((sim) => simulationProblems(sim).map((problem) => problem.message)))
  for (const problem of planProblems(simulations)) {
    if (!seen.has(problem.message)) ctx.addIssue({ code: 'custom', message: problem.message, path: [] })
  }
})

// The schema's output must stay exactly the contract type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const schemaMatchesContract: Same<z.infer<typeof loadSimulationSchema>, LoadSimulation> = true
void schemaMatchesContract
