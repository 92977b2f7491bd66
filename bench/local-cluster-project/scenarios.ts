// The local cluster bench's scenarios. `cpu` does a fixed amount of work per iteration
// (BENCH_HASH_ROUNDS chained SHA-256 digests); `ping` tells a target which version of this
// module sent it (the bench edits VERSION and times how long until the new one arrives).
import { createHash } from 'node:crypto'
import { Response, Scenario, Simulation } from 'loadspec'

const VERSION = 1
const rounds = Number(process.env.BENCH_HASH_ROUNDS ?? 100)
const target = process.env.BENCH_TARGET_URL ?? 'http://127.0.0.1:9'
let sink = 0

export const cpu = Scenario.create('cpu', () => {
  let digest: Buffer = Buffer.alloc(64, 7)
  for (let i = 0; i < rounds; i++) digest = createHash('sha256').update(digest).digest()
  sink ^= digest[0] as number
  return sink === -1 ? Response.fail(500) : Response.ok()
}).withLoadSimulations(Simulation.keepConstant(2, 4))

export const ping = Scenario.create('ping', async (ctx) => {
  const res = await fetch(`${target}/?v=${VERSION}`, { signal: ctx.signal })
  await res.arrayBuffer()
  return Response.ok(res.status)
}).withLoadSimulations(Simulation.inject(20, 1, 2))
