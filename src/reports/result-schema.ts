/**
 * Validation of a saved run result (a JSON report read back by
 * `loadspec report`). Everything a file holds is checked here, at the edge,
 * so the renderers can trust their input; histogram contents are checked
 * when decoded, with an error naming the histogram.
 */
import { z } from 'zod'
import { loadGeneratorUsageSchema } from '../result/generator.js'
import type { NodeType, SerializedRunResult } from '../result/result.js'
import { serializedScenarioStatsSchema } from '../stats/schema.js'

/** Roles that run load (a Client's result holds the service's nodes, not the client). */
const RESULT_NODE_TYPES = ['Single', 'Coordinator', 'Agent'] as const satisfies readonly NodeType[]

const count = z.number().int().nonnegative()
const milliseconds = z.number().nonnegative()

const nodeSchema = z.object({
  nodeId: z.string(),
  nodeType: z.enum(RESULT_NODE_TYPES),
  host: z.string(),
  pid: count,
  scenarios: z.array(z.string()),
  partition: z.object({ number: count, count: z.number().int().positive() }),
  lost: z.boolean().optional(),
  generator: loadGeneratorUsageSchema.optional(),
})

const seriesPointSchema = z.object({
  index: count,
  startMs: milliseconds,
  durationMs: milliseconds,
  scenarios: z.array(serializedScenarioStatsSchema),
})

/**
 * Version 2 and version 1 (written before exact scalars and generator
 * figures were kept: its stats are upgraded on the way in) read alike; what
 * comes out is version 2.
 */
export const serializedRunResultSchema = z.object({
  version: z.union([z.literal(2), z.literal(1)], {
    error: (issue) => `this is a loadspec result of format version ${JSON.stringify(issue.input)}; this loadspec reads versions 1 and 2`,
  }).transform((): 2 => 2),
  startedAt: z.iso.datetime({ offset: true }),
  durationMs: milliseconds,
  incomplete: z.boolean(),
  nodes: z.array(nodeSchema),
  warnings: z.array(z.string()),
  reportFiles: z.array(z.string()),
  scenarios: z.array(serializedScenarioStatsSchema),
  timeSeries: z.object({ intervalMs: z.number().positive(), points: z.array(seriesPointSchema) }),
}) satisfies z.ZodType<SerializedRunResult>

/**
 * Parses the text of a JSON report. Throws an Error that names the source
 * and lists every problem with its path.
 */
export function parseRunResultJson(text: string, source: string): SerializedRunResult {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new Error(`${source} is not JSON (${error instanceof Error ? error.message : String(error)}); expected a loadspec JSON report`, {
      cause: error,
    })
  }
  return parseRunResult(value, source)
}

export function parseRunResult(value: unknown, source: string): SerializedRunResult {
  const result = serializedRunResultSchema.safeParse(value)
  if (!result.success) {
    throw new Error(`${source} is not a valid loadspec result:\n${z.prettifyError(result.error)}`, { cause: result.error })
  }
  return result.data
}
