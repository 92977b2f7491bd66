import { z } from 'zod'
import { simulationProblems } from './kinds.js'
import { planProblems } from './plan.js'
import type { LoadSimulation } from './types.js'

/**
 * Checks a LoadSimulation received over the wire: zod checks the shape, then
 * the same rules as the Simulation.* creators apply, word for word.
 */
export const loadSimulationSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('inject'), rate: z.number(), intervalMs: z.number(), duringMs: z.number() }),
    z.object({ kind: z.literal('rampingInject'), rate: z.number(), intervalMs: z.number(), duringMs: z.number() }),
    z.object({
      kind: z.literal('injectRandom'),
      minRate: z.number(),
      maxRate: z.number(),
      intervalMs: z.number(),
      duringMs: z.number(),
    }),
    z.object({ kind: z.literal('keepConstant'), copies: z.number(), duringMs: z.number() }),
    z.object({ kind: z.literal('rampingConstant'), copies: z.number(), duringMs: z.number() }),
    z.object({ kind: z.literal('iterationsForConstant'), copies: z.number(), iterations: z.number() }),
    z.object({ kind: z.literal('iterationsForInject'), rate: z.number(), intervalMs: z.number(), iterations: z.number() }),
    z.object({ kind: z.literal('pause'), duringMs: z.number() }),
  ])
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
