/**
 * What an agent reports at the end of a session: its final stats, its
 * warnings and its time series. It travels as JSON text cut into `final`
 * messages (final-report.ts) because a long run's time series can outgrow
 * one NATS message (1 MB by default).
 */
import { z } from 'zod'
import { serializedScenarioStatsSchema } from '../../stats/schema.js'
import type { SerializedScenarioStats } from '../../stats/types.js'
import { loadGeneratorUsageSchema } from '../../result/generator.js'
import type { LoadGeneratorUsage, SerializedTimeSeries } from '../../result/result.js'

export interface NodeReport {
  readonly stats: readonly SerializedScenarioStats[]
  readonly warnings: readonly string[]
  /** The agent's Date.now() when its load started. */
  readonly startedAtEpochMs: number
  readonly durationMs: number
  readonly timeSeries: SerializedTimeSeries
  /** How much later than the agreed start time load actually began (0 when on time). */
  readonly startDelayMs: number
  /** What the load cost the agent's process (absent when it ran no load). */
  readonly generator?: LoadGeneratorUsage
}

export const seriesPointSchema = z.object({
  index: z.number().int().nonnegative(),
  startMs: z.number().finite().nonnegative(),
  durationMs: z.number().finite().nonnegative(),
  scenarios: z.array(serializedScenarioStatsSchema).max(10_000),
})

export const nodeReportSchema = z.object({
  stats: z.array(serializedScenarioStatsSchema).max(10_000),
  warnings: z.array(z.string().max(20_000)).max(10_000),
  startedAtEpochMs: z.number().finite(),
  durationMs: z.number().finite().nonnegative(),
  timeSeries: z.object({ intervalMs: z.number().finite().positive(), points: z.array(seriesPointSchema).max(1_000_000) }),
  startDelayMs: z.number().finite().nonnegative(),
  generator: loadGeneratorUsageSchema.optional(),
})

// The schema's output must stay assignable to the report type.
const schemaFitsReport: (value: z.infer<typeof nodeReportSchema>) => NodeReport = (value) => value
void schemaFitsReport
