/**
 * The scenario of the simulated fleet (bench/fleet.ts): no I/O, but what an
 * HTTP scenario records per interval: log-normal latencies around 5 ms
 * (custom latency, so no time passes), response sizes, two steps, and 1 % of
 * failures spread over a few status codes and messages. Its per-interval
 * deltas look like a real agent's; its load shape comes from the coordinator.
 */
import { engine } from './loadspec.js'

const { Response, Scenario, Simulation, Step } = engine

export const FLEET_SCENARIO = 'fleet'
const FAILURES = ['503', '504', '429', 'timeout', 'ECONNRESET'] as const

export const fleetScenario = Scenario.create(FLEET_SCENARIO, async (ctx) => {
  const latencyMs = Math.exp(Math.log(5) + 0.5 * gaussian(ctx.random.next()))
  await Step.run('auth', ctx, () => Response.ok(200, 128, '', latencyMs / 5))
  await Step.run('fetch', ctx, () => Response.ok(200, 2048, '', latencyMs))
  const draw = ctx.random.next()
  if (draw < 0.01) {
    const code = FAILURES[Math.floor(draw * 100 * FAILURES.length)] ?? '503'
    return Response.fail(code, `upstream said ${code}`, 0, latencyMs)
  }
  return Response.ok(200, 2048, '', latencyMs * 1.2)
}).withLoadSimulations(Simulation.inject(20, 1, 10))

/** A standard normal draw from one uniform draw (inverse CDF, Tukey's lambda approximation: plenty for a bench). */
function gaussian(uniform: number): number {
  const u = Math.min(Math.max(uniform, 1e-9), 1 - 1e-9)
  return 4.91 * (u ** 0.14 - (1 - u) ** 0.14)
}
