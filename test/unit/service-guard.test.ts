/**
 * The rank of two coordinator services on one namespace (service-guard.ts)
 * over the in-memory bus: what the process tests do not reach. Two that
 * both got through to serving (a split broker that healed) — the one that
 * began later leaves; a newcomer whose clock says it began earlier still
 * gives way to the one that serves.
 */
import { afterEach, expect, it } from 'vitest'
import { MemoryBus } from '../../src/cluster/index.js'
import { silentClusterLog } from '../../src/cluster/log.js'
import { outranks, ServiceGuard, type OtherService, type ServiceIdentity } from '../../src/cluster/service/service-guard.js'

const config = { clusterId: 'c', agentGroup: 'g', heartbeatIntervalMs: 20 }
let bus = new MemoryBus()
const guards: ServiceGuard[] = []
afterEach(async () => {
  for (const guard of guards.splice(0)) guard.close()
  await bus.close()
  bus = new MemoryBus()
})

function guard(serviceId: string, startedAtEpochMs: number): ServiceGuard {
  const self: ServiceIdentity = { serviceId, host: 'h', pid: 1, startedAtEpochMs }
  const made = new ServiceGuard({ transport: bus.connect(serviceId), config, self, log: silentClusterLog })
  guards.push(made)
  return made
}

it('of two serving services (a split broker that healed) the one that began later is outranked, naming the other; the earlier one keeps serving', async () => {
  const outranked: Record<string, OtherService[]> = { 'svc-a': [], 'svc-b': [] }
  guard('svc-b', 2000).serve((other) => outranked['svc-b']?.push(other))
  guard('svc-a', 1000).serve((other) => outranked['svc-a']?.push(other))
  await new Promise((resolve) => setTimeout(resolve, 100))
  expect(outranked['svc-b']).toEqual([{ serviceId: 'svc-a', host: 'h', pid: 1, startedAtEpochMs: 1000, serving: true }])
  expect(outranked['svc-a']).toEqual([])
})

it('a newcomer whose clock says it began earlier still gives way to the service that serves', async () => {
  guard('svc-serving', 5000).serve(() => {
    throw new Error('the serving one must not be outranked')
  })
  const other = await guard('svc-new', 1000).claim(500)
  expect(other).toEqual({ serviceId: 'svc-serving', host: 'h', pid: 1, startedAtEpochMs: 5000, serving: true })
})

it('of two starting at once the later start gives way, the earlier finds itself alone', async () => {
  const [early, late] = await Promise.all([guard('svc-x', 1000).claim(100), guard('svc-y', 1001).claim(100)])
  expect(early).toBeUndefined()
  expect(late).toMatchObject({ serviceId: 'svc-x', serving: false })
})

it('ranks serving before starting, then the earlier start, then the smaller id', () => {
  const s = (serviceId: string, startedAtEpochMs: number, serving: boolean): OtherService => ({ serviceId, host: 'h', pid: 1, startedAtEpochMs, serving })
  expect(outranks(s('a', 2000, true), s('b', 1000, false))).toBe(true)
  expect(outranks(s('b', 1000, false), s('a', 2000, true))).toBe(false)
  expect(outranks(s('a', 1000, true), s('b', 2000, true))).toBe(true)
  expect(outranks(s('b', 2000, true), s('a', 1000, true))).toBe(false)
  expect(outranks(s('a', 1000, false), s('b', 1000, false))).toBe(true)
  expect(outranks(s('b', 1000, false), s('a', 1000, false))).toBe(false)
})
