import { describe, expect, it } from 'vitest'
import { IterationSlot, type SlotOwner } from '../../src/engine/iteration-slot.js'
import { iterationServicesOf, ScenarioResources, type Abortable } from '../../src/engine/scenario-resources.js'
import { createLogger, createRandomSource } from '../../src/engine/context.js'

function slotOf(resources = new ScenarioResources(4)): IterationSlot {
  const owner: SlotOwner = {
    scenarioName: 'unit',
    logger: createLogger('unit', () => {}),
    random: createRandomSource(1),
    partition: { number: 0, count: 1 },
    scenarioData: {},
    resources,
    stepRecorder: () => ({ recordOk: () => {}, recordFail: () => {} }),
    stopScenario: () => {},
    stopCurrentTest: () => {},
  }
  const slot = new IterationSlot(owner, 0)
  slot.begin(1, 0, 0)
  return slot
}

function watcher(): Abortable & { reasons: unknown[] } {
  const reasons: unknown[] = []
  return { reasons, abort: (reason) => reasons.push(reason) }
}

describe('iteration services (what loadspec/http reaches through ctx)', () => {
  it('are offered by an iteration context and by nothing else', () => {
    const slot = slotOf()
    expect(iterationServicesOf(slot)).toBe(slot)
    expect(iterationServicesOf({ signal: new AbortController().signal })).toBeUndefined()
  })

  it('tell every watcher of an iteration about its abort, once, and the signal too', () => {
    const slot = slotOf()
    const first = watcher()
    const second = watcher()
    const gone = watcher()
    slot.watchAbort(first)
    slot.watchAbort(second)
    slot.watchAbort(gone)
    slot.unwatchAbort(gone)
    slot.abort('timeout')
    slot.abort('again')
    expect(first.reasons).toEqual(['timeout'])
    expect(second.reasons).toEqual(['timeout'])
    expect(gone.reasons).toEqual([])
    // A signal asked for after the abort is already aborted.
    expect(slot.signal.aborted).toBe(true)
    expect(slot.signal.reason).toBe('timeout')
  })

  it('abort a watcher at once when the iteration is aborted already, and forget old watchers on the next iteration', () => {
    const slot = slotOf()
    slot.abort('stopped')
    const late = watcher()
    slot.watchAbort(late)
    expect(late.reasons).toEqual(['stopped'])
    slot.begin(2, 0, 0)
    const leftOver = watcher()
    slot.watchAbort(leftOver)
    slot.begin(3, 0, 0)
    slot.abort('timeout')
    expect(leftOver.reasons).toEqual([])
    expect(slot.signal.aborted).toBe(true)
  })

  it('keep resources per key for the run, hand them from phase to phase, and release them after the last', async () => {
    const resources = new ScenarioResources(8)
    const disposed: string[] = []
    const make = (name: string) => (r: ScenarioResources) => ({ name, concurrency: r.concurrency, dispose: () => void disposed.push(name) })
    const key = {}
    const first = resources.use(key, make('pools'))
    expect(resources.use(key, make('other'))).toBe(first)
    expect(first.concurrency).toBe(8)
    // Phase ends, next phase claims before the event loop turns: nothing is released.
    resources.releaseSoon()
    resources.claim()
    await new Promise((resolve) => setImmediate(resolve))
    expect(disposed).toEqual([])
    // The last phase ends: released on the next turn, and a later use makes a new one.
    resources.releaseSoon()
    await new Promise((resolve) => setImmediate(resolve))
    await new Promise((resolve) => setImmediate(resolve))
    expect(disposed).toEqual(['pools'])
    expect(resources.use(key, make('fresh')).name).toBe('fresh')
  })
})
