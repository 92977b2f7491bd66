/**
 * Clock offsets per exchange: each assign is numbered and each accepted
 * names the assign it answers, so an answer to a re-sent assign is timed
 * against that assign, not the first one (which would add a heartbeat of
 * waiting to the round trip, half of it to the offset, and twice the round
 * trip to the start lead). The fastest exchange wins; replays are ignored.
 */
import { describe, expect, it } from 'vitest'
import { AgentSlot } from '../../src/cluster/coordinator/agent-slot.js'
import type { CoordinatorLink } from '../../src/cluster/coordinator/link.js'
import { StartClock } from '../../src/cluster/coordinator/start-clock.js'

function setUp() {
  const sent: { kind: string; body: { startAtEpochMs?: number } }[] = []
  const link = { toAgent: (_agentId: string, kind: string, body: { startAtEpochMs?: number }) => void sent.push({ kind, body }) } as unknown as CoordinatorLink
  const slot = new AgentSlot({ index: 0, scenarios: ['work'], partition: { number: 0, count: 1 }, wireScenarios: [] })
  slot.agent = { agentId: 'a1', instanceId: 'i1', host: 'h', pid: 1, scenarios: ['work'], state: 'idle', holder: null, sessionId: null, startedAtEpochMs: 0, firstHeardMs: 0, lastHeardMs: 0 } as never
  return { sent, slot, clock: new StartClock(link, 's1', 1000) }
}

describe('the start clock', () => {
  it('times an answer against the assign it answers, keeps the fastest exchange, and sends a start only a few ms ahead', () => {
    const { sent, slot, clock } = setUp()
    const now = Date.now()
    // Assign 1 went out a second ago and was lost; assign 2 (the re-send) 4 ms ago. The agent's clock is 3 s ahead.
    slot.assignsSent.set(1, now - 1000)
    slot.assignsSent.set(2, now - 4)
    clock.onExchange(slot, 2, now - 2 + 3000)
    expect(slot.roundTripMs).toBeLessThanOrEqual(6)
    expect(Math.abs(slot.clockOffsetMs - 3000)).toBeLessThanOrEqual(4)
    // A late answer to assign 1, and a replay of the answer to 2, change nothing.
    const best = { offsetMs: slot.clockOffsetMs, roundTripMs: slot.roundTripMs }
    clock.onExchange(slot, 1, now + 3000)
    clock.onExchange(slot, 2, now + 9999)
    expect({ offsetMs: slot.clockOffsetMs, roundTripMs: slot.roundTripMs }).toEqual(best)

    const startAt = clock.begin([slot])
    expect(startAt - Date.now()).toBeLessThan(50)
    const start = sent.find((message) => message.kind === 'start')
    expect(start?.body.startAtEpochMs).toBe(startAt + slot.clockOffsetMs)
  })

  it('notes when the first "running" heartbeat of an agent arrived, relative to the common start', () => {
    const { slot, clock } = setUp()
    slot.assignsSent.set(1, Date.now() - 10)
    clock.onExchange(slot, 1, Date.now() - 5)
    const startAt = clock.begin([slot])
    clock.onRunning(slot, startAt - 80)
    clock.onRunning(slot, startAt + 900)
    expect(slot.runningHeardMs).toBe(-80)
  })
})
