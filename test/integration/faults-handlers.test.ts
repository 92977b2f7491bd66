/**
 * Hung and misbehaving handlers. Each iteration is counted
 * exactly once whatever its handler does: hangs (the iteration timeout aborts
 * ctx.signal and records 'timeout'), throws things that are not Errors,
 * returns garbage, or settles (rejects, resolves garbage) after its
 * iteration was already given up: after its timeout, after the graceful stop
 * interrupted it, or after the scenario stopped. `clean` runs after all of
 * them, and no promise rejection is ever left unhandled, in this process or
 * in an agent process running the same handlers. More basic cases live in
 * engine-behaviour.test.ts.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_SCENARIO_SETTINGS, Response, Runner, Scenario, Simulation, type IterationContext, type ScenarioHandler } from '../../src/index.js'
import { agentIdOf, startAgentProcess, type NodeProcess } from '../support/cluster-processes.js'
import { misbehaving as agentMisbehaving } from '../fixtures/faults-nodes/misbehaving.js'
import { sleep } from '../support/faults.js'
import { startNatsServer, type NatsServerHandle } from '../support/nats-server.js'
import { runLocally } from '../support/run.js'

// Every test here checks that nothing escaped as an unhandled rejection or an uncaught exception.
const escaped: unknown[] = []
const onEscape = (reason: unknown): void => void escaped.push(reason)
beforeAll(() => {
  process.on('unhandledRejection', onEscape)
  process.on('uncaughtException', onEscape)
})
afterAll(() => {
  process.off('unhandledRejection', onEscape)
  process.off('uncaughtException', onEscape)
})
beforeEach(() => {
  escaped.length = 0
})
afterEach(async () => {
  // Late settlements happen after the run returned: give them time to surface.
  await sleep(50)
  expect(escaped).toEqual([])
})

/** A scenario whose handler is `handler` (typed loosely: these handlers misbehave on purpose), counting clean runs. */
function misbehaving(name: string, handler: (ctx: IterationContext) => unknown) {
  const counter = { cleans: 0 }
  const scenario = Scenario.create(name, handler as ScenarioHandler).withClean(() => {
    counter.cleans++
  })
  return { scenario, counter }
}

function codes(stats: { statusCodes: readonly { statusCode: string; count: number }[] }): Record<string, number> {
  return Object.fromEntries(stats.statusCodes.map((code) => [code.statusCode, code.count]))
}

describe('hung handlers', () => {
  it('have a sensible default iteration timeout (30 s), settable per scenario', () => {
    expect(DEFAULT_SCENARIO_SETTINGS.iterationTimeoutMs).toBe(30_000)
    expect(Scenario.create('t', () => Response.ok()).withIterationTimeout('250ms').settings.iterationTimeoutMs).toBe(250)
  })

  it('under an open model: each hung iteration is aborted at the timeout and counted once as "timeout", also when it rejects afterwards', async () => {
    let aborted = 0
    const { scenario, counter } = misbehaving('hang-open', (ctx) => {
      if (ctx.invocationNumber % 4 !== 0) return Response.ok()
      // Honours its signal by rejecting, after the iteration was already recorded as a timeout.
      return new Promise((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => {
          aborted++
          reject(new Error('aborted, rejecting late'))
        })
      })
    })
    const stats = (await runLocally(scenario.withIterationTimeout('80ms').withLoadSimulations(Simulation.inject(40, 1, '500ms')))).getScenarioStats('hang-open')
    expect(stats.allRequestCount).toBe(20)
    expect(codes(stats)).toEqual({ ok: 15, timeout: 5 })
    expect(aborted).toBe(5)
    expect(stats.fail.latencyMs.min).toBeGreaterThanOrEqual(80)
    expect(counter.cleans).toBe(1)
  })
})

describe('misbehaving handlers', () => {
  it('throwing values that are not Errors: each a failed "exception" with a message, counted once', async () => {
    const circular: Record<string, unknown> = { name: 'loop' }
    circular.self = circular
    const thrown: unknown[] = [
      'a string',
      42,
      null,
      undefined,
      Symbol('sym'),
      10n,
      circular,
      Object.create(null),
      {
        toJSON() {
          throw new Error('toJSON throws')
        },
      },
      [1, 2, 3],
    ]
    const { scenario, counter } = misbehaving('throws', (ctx) => {
      const value = thrown[(ctx.invocationNumber - 1) % thrown.length]
      // Half synchronously, half as a rejection.
      if (ctx.invocationNumber <= thrown.length) throw value
      return Promise.reject(value)
    })
    const stats = (await runLocally(scenario.withLoadSimulations(Simulation.iterationsForConstant(2, 2 * thrown.length)))).getScenarioStats('throws')
    expect(stats.allRequestCount).toBe(2 * thrown.length)
    expect(codes(stats)).toEqual({ exception: 2 * thrown.length })
    const messages = stats.errors.map((error) => error.message).sort()
    expect(messages).toEqual(
      expect.arrayContaining(['a string', 'non-Error thrown: 42', 'non-Error thrown: null', 'non-Error thrown: undefined', 'non-Error thrown: Symbol(sym)', 'non-Error thrown: 10', 'non-Error thrown: [1,2,3]']),
    )
    // Values JSON cannot show (a circular object, one whose toJSON throws) are described by their type.
    expect(stats.errors.find((error) => error.message === 'non-Error thrown: a plain object')?.count).toBe(4)
    expect(stats.errors.reduce((sum, error) => sum + error.count, 0)).toBe(2 * thrown.length)
    expect(counter.cleans).toBe(1)
  })

  it('returning garbage: each a failed "invalid_response" that says what came back, counted once', async () => {
    const circular: Record<string, unknown> = {}
    circular.self = circular
    const garbage: (() => unknown)[] = [
      () => Symbol('s'),
      () => () => 'a function',
      () => 7n,
      () => circular,
      () => [Response.ok()],
      () => Number.NaN,
      () => 'OK',
      () => Promise.resolve({ statusCode: 200 }),
      () => new Map(),
    ]
    const { scenario, counter } = misbehaving('garbage', (ctx) => garbage[(ctx.invocationNumber - 1) % garbage.length]?.())
    const stats = (await runLocally(scenario.withLoadSimulations(Simulation.iterationsForConstant(3, 3 * garbage.length)))).getScenarioStats('garbage')
    expect(stats.allRequestCount).toBe(3 * garbage.length)
    expect(codes(stats)).toEqual({ invalid_response: 3 * garbage.length })
    const messages = stats.errors.map((error) => error.message).join('\n')
    for (const described of ['returned symbol', 'returned a function', 'returned 7', 'returned a plain object', 'returned an array of 1', 'returned NaN', 'returned "OK"', 'returned a Map']) {
      expect(messages).toContain(described)
    }
    expect(counter.cleans).toBe(1)
  })

  it('thenables that blow up, and Responses with bad fields: counted once, never thrown out of the engine', async () => {
    const weird: (() => unknown)[] = [
      () => ({
        get then() {
          throw new Error('then getter throws')
        },
      }),
      // A then that calls back twice, both ways.
      () => ({
        then(resolve: (value: unknown) => void, reject: (reason: unknown) => void) {
          resolve(Response.ok())
          reject(new Error('and rejects too'))
          resolve(Response.fail())
        },
      }),
      () => Response.ok(200, Number.POSITIVE_INFINITY),
      () => Response.ok({ not: 'a code' } as never),
    ]
    const { scenario, counter } = misbehaving('weird', (ctx) => weird[(ctx.invocationNumber - 1) % weird.length]?.())
    const stats = (await runLocally(scenario.withLoadSimulations(Simulation.iterationsForConstant(1, 2 * weird.length)))).getScenarioStats('weird')
    expect(stats.allRequestCount).toBe(2 * weird.length)
    expect(codes(stats)).toEqual({ exception: 2, ok: 2, invalid_response: 4 })
    expect(counter.cleans).toBe(1)
  })

  it('throwing an object whose message getter throws, or a revoked Proxy: still counted once, nothing escapes', async () => {
    const { proxy: revoked, revoke } = Proxy.revocable({}, {})
    revoke()
    const hostile = [
      () => {
        const error = new Error('placeholder')
        Object.defineProperty(error, 'message', {
          get() {
            throw new Error('message getter throws')
          },
        })
        throw error
      },
      () => {
        throw revoked
      },
      () =>
        Promise.reject(
          new Proxy({}, {
            get() {
              throw new Error('every property throws')
            },
            getPrototypeOf() {
              throw new Error('no prototype either')
            },
          }),
        ),
    ]
    const { scenario, counter } = misbehaving('hostile', (ctx) => hostile[(ctx.invocationNumber - 1) % hostile.length]?.())
    const stats = (await runLocally(scenario.withLoadSimulations(Simulation.iterationsForConstant(1, 3 * hostile.length)))).getScenarioStats('hostile')
    expect(stats.allRequestCount).toBe(3 * hostile.length)
    expect(codes(stats)).toEqual({ exception: 3 * hostile.length })
    expect(counter.cleans).toBe(1)
  })
})

describe('handlers that settle after their iteration was given up', () => {
  it('rejecting after the graceful stop interrupted them: counted once as "interrupted", the late rejection is ignored, clean runs', async () => {
    let lateRejections = 0
    const { scenario, counter } = misbehaving('late', (ctx) => {
      if (ctx.invocationNumber > 2) return Response.ok()
      // Ignores its signal, and rejects long after the run has returned.
      return new Promise((_resolve, reject) =>
        setTimeout(() => {
          lateRejections++
          reject(new Error('too late'))
        }, 600),
      )
    })
    const started = performance.now()
    const result = await runLocally(scenario.withGracefulStop('100ms').withLoadSimulations(Simulation.keepConstant(3, '300ms')))
    expect(performance.now() - started).toBeLessThan(600)
    const stats = result.getScenarioStats('late')
    expect(codes(stats).interrupted).toBe(2)
    expect(stats.fail.request.count).toBe(2)
    expect(counter.cleans).toBe(1)
    // The run returned first; now the two handlers reject. Nothing may count them again or escape.
    await sleep(700)
    expect(lateRejections).toBe(2)
    expect(result.getScenarioStats('late').fail.request.count).toBe(2)
  })

  it('resolving or rejecting after their timeout: counted once as "timeout"', async () => {
    const { scenario, counter } = misbehaving('after-timeout', (ctx) => {
      if (ctx.invocationNumber === 1) return new Promise((_resolve, reject) => setTimeout(() => reject('a string, late'), 150))
      if (ctx.invocationNumber === 2) return new Promise((resolve) => setTimeout(() => resolve(Symbol('late garbage')), 150))
      return Response.ok()
    })
    const result = await runLocally(scenario.withIterationTimeout('50ms').withLoadSimulations(Simulation.iterationsForConstant(2, 10)))
    await sleep(200)
    const stats = result.getScenarioStats('after-timeout')
    expect(codes(stats)).toEqual({ ok: 8, timeout: 2 })
    expect(counter.cleans).toBe(1)
  })

  it('rejecting after another scenario stopped theirs: counted once, the run ends, both cleans run', async () => {
    let hung = 0
    const victim = misbehaving('stopped', (ctx) => {
      if (ctx.invocationNumber % 5 !== 0) return Response.ok()
      hung++
      return new Promise((_resolve, reject) => setTimeout(() => reject(new Error('rejecting after the stop')), 400))
    })
    const stopper = misbehaving('stopper', (ctx) => {
      if (ctx.invocationNumber === 10) ctx.stopScenario('stopped', 'enough of that')
      return Response.ok()
    })
    const result = await runLocally(
      victim.scenario.withGracefulStop('50ms').withLoadSimulations(Simulation.inject(50, 1, '600ms')),
      stopper.scenario.withLoadSimulations(Simulation.inject(50, 1, '600ms')),
    )
    await sleep(450)
    const stats = result.getScenarioStats('stopped')
    // Every iteration that started is counted exactly once: the hung ones as interrupted (or, if they
    // rejected in time, as exceptions), never twice.
    expect(stats.allRequestCount).toBe((codes(stats).ok ?? 0) + hung)
    expect(result.warnings).toContain('scenario "stopped" stopped by scenario "stopper": enough of that')
    expect(victim.counter.cleans).toBe(1)
    expect(stopper.counter.cleans).toBe(1)
  })
})

describe('an agent process running misbehaving handlers', () => {
  let nats: NatsServerHandle
  let agent: NodeProcess

  beforeAll(async () => {
    nats = await startNatsServer()
    agent = startAgentProcess('test/fixtures/faults-nodes/misbehaving.ts', [`--NatsServerUrl=${nats.url}`, '--ClusterId=faults-handlers', '--AgentGroup=g'], {
      LOADSPEC_FIXTURE_NODE: 'misbehaving-agent',
    })
    await agentIdOf(agent)
  })

  afterAll(async () => {
    await agent?.stop('SIGKILL')
    await nats?.stop()
  })

  const coordinate = () =>
    // The agent's own module: the coordinator checks that the agent runs the code it has (its fingerprint).
    Runner.registerScenarios(
      agentMisbehaving
        .withIterationTimeout('100ms')
        .withGracefulStop('100ms')
        .withLoadSimulations(Simulation.keepConstant(4, '600ms')),
    )
      .withConfigSources({ argv: [], env: {} })
      .withoutReports()
      .withNodeType('Coordinator')
      .withNatsServerUrl(nats.url)
      .withClusterId('faults-handlers')
      .withAgentGroup('g')
      .withAgentsCount(1)
      .withAgentTargetScenarios('misbehaving')
      .withClusterCommandTimeout(10_000)
      .run({ quiet: true })

  it('counts every iteration once, runs clean, survives the late rejections and serves the next session', async () => {
    const first = await coordinate()
    const stats = first.getScenarioStats('misbehaving')
    const byCode = codes(stats)
    expect(first.incomplete).toBe(false)
    expect(stats.allRequestCount).toBeGreaterThan(20)
    // Hung iterations (case 2 and 3 of the fixture) are given up at the 100 ms iteration timeout.
    expect(Object.keys(byCode).sort()).toEqual(['200', 'exception', 'invalid_response', 'timeout'])
    await agent.waitFor(/clean of "misbehaving" ran/, 3000)
    // The late rejections come ~1 s after each hung iteration started: after the session ended.
    await sleep(1200)
    expect(agent.output()).not.toMatch(/Unhandled|uncaught/i)
    const second = await coordinate()
    expect(second.getScenarioStats('misbehaving').allRequestCount).toBeGreaterThan(20)
    expect(agent.output().match(/clean of "misbehaving" ran/g)).toHaveLength(2)
    // Logged once the acknowledgement reaches the agent, just after the coordinator returned.
    await agent.waitForCount(/final stats acknowledged/, 2)
  })
})
