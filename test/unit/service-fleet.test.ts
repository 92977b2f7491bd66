import { expect, it } from 'vitest'
import type { HeardAgent } from '../../src/cluster/index.js'
import { availability, freeFor } from '../../src/cluster/service/fleet.js'

function agent(agentId: string, state: 'idle' | 'busy', holderCoordinatorId?: string, scenarios = ['steady']): HeardAgent {
  return {
    agentId,
    instanceId: `${agentId}-i`,
    host: 'ci',
    pid: 1,
    state,
    scenarios,
    announcedAtEpochMs: 0,
    startedAtEpochMs: 0,
    sessionId: holderCoordinatorId === undefined ? null : 's',
    holder: holderCoordinatorId === undefined ? null : { coordinatorId: holderCoordinatorId, host: 'ci', pid: 1, sessionId: 's', state: 'serving' },
    firstHeardMs: 0,
    lastHeardMs: 0,
    fingerprints: {},
  }
}

it('counts idle agents no running session holds, minus what running sessions still need beyond the agents seen held', () => {
  const fleet = [agent('a', 'busy', 'svc-s1'), agent('b', 'idle'), agent('c', 'idle'), agent('d', 'idle', undefined, ['other'])]
  // s1 needs 2 and shows 1 held: one more idle agent is assumed taken; s2 just started and shows none.
  const available = availability(fleet, [
    { coordinatorId: 'svc-s1', needed: 2 },
    { coordinatorId: 'svc-s2', needed: 1 },
  ])
  expect(available.idle.map((heard) => heard.agentId)).toEqual(['b', 'c', 'd'])
  expect(available.pending).toBe(2)
  expect(freeFor(available, (heard) => heard.scenarios.includes('steady'))).toBe(0)
  expect(freeFor(availability(fleet, []), (heard) => heard.scenarios.includes('steady'))).toBe(2)
})

it('does not count an idle-looking agent whose announce names one of the service sessions as holder', () => {
  const fleet = [agent('a', 'idle', 'svc-s1'), agent('b', 'idle')]
  expect(availability(fleet, [{ coordinatorId: 'svc-s1', needed: 1 }])).toMatchObject({ pending: 0, idle: [{ agentId: 'b' }] })
})
