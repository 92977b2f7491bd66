/**
 * Scenarios of the cluster bench, exported for its `loadspec agent`
 * processes and used by the coordinator (this process), the one-node child
 * and the stats-size measurement. Agents supply the code; the coordinator
 * sends the load shape, so the simulations here are placeholders.
 *
 * The CPU-bound handler does a fixed amount of work, BENCH_CLUSTER_HASH_ROUNDS
 * chained SHA-256 digests (cluster.ts calibrates it to ~200 µs and passes it
 * to every process): a fixed amount of work, not a spin until a deadline,
 * so a process that loses its core for a while does less, as it should.
 */
import { createHash } from 'node:crypto'
import { engine } from './loadspec.js'

const { Response, Scenario } = engine

export const CPU_SCENARIO = 'cluster-cpu'
export const NOOP_SCENARIO = 'cluster-noop'
export const TYPICAL_SCENARIO = 'cluster-typical'
export const SPREAD_SCENARIO = 'cluster-spread'

export function hashRounds(): number {
  const rounds = Number(process.env.BENCH_CLUSTER_HASH_ROUNDS)
  return Number.isInteger(rounds) && rounds > 0 ? rounds : 100
}

/** `rounds` chained SHA-256 digests of a 64-byte seed; returns the first byte so the work cannot be skipped. */
export function hashWork(rounds: number): number {
  let digest: Buffer = Buffer.alloc(64, 7)
  for (let i = 0; i < rounds; i++) digest = createHash('sha256').update(digest).digest()
  return digest[0] as number
}

// Read on first use: cluster.ts sets it after importing this module.
let rounds: number | undefined
let sink = 0

export const cpuScenario = Scenario.create(CPU_SCENARIO, async () => {
  rounds ??= hashRounds()
  sink ^= hashWork(rounds)
  return sink === -1 ? Response.fail(500) : Response.ok()
})

export const noopScenario = Scenario.create(NOOP_SCENARIO, async () => {})

/**
 * Latencies like an HTTP service's: log-normal around 5 ms (σ = 0.5 in ln,
 * so 95 % within 1.9..13 ms), recorded as custom latency without waiting.
 */
export const typicalScenario = Scenario.create(TYPICAL_SCENARIO, async () => {
  const normal = Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random())
  return Response.ok(200, 100, '', 5 * Math.exp(0.5 * normal))
})

/**
 * Latencies spread log-uniformly over 50 µs..5 s (custom latency, no waiting):
 * a histogram with many occupied buckets, the large end of what a final
 * stats message carries for one scenario.
 */
export const spreadScenario = Scenario.create(SPREAD_SCENARIO, async () =>
  Response.ok(200, 100, '', Math.exp(Math.log(0.05) + Math.random() * Math.log(100_000))),
)

// A child outliving a bench that was killed with SIGKILL ends itself.
const parentPid = Number(process.env.BENCH_PARENT_PID)
if (parentPid > 0 && parentPid !== process.pid) {
  setInterval(() => {
    try {
      process.kill(parentPid, 0)
    } catch {
      process.exit(1)
    }
  }, 1000).unref()
}
