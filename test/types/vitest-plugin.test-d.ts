/** Types of loadScenario, the plugin and what the plugin hands to Vitest (inject, task.meta). */
import { describe, expectTypeOf, inject, test, type TaskMeta, type TestContext } from 'vitest'
import type { Plugin } from 'vitest/config'
import type { LoadspecConfig } from '../../src/config/index.js'
import { loadspec, type LoadspecPluginApi } from '../../plugin/index.js'
import { loadScenario, Response, Scenario, type LoadScenarioAPI, type LoadspecTaskMeta, type RunResult } from '../../plugin/vitest.js'

const checkout = Scenario.create('checkout', () => Response.ok(200))

describe('loadScenario', () => {
  test('passes the RunResult and the test context to the assertion', () => {
    loadScenario('budget', [checkout], (result, context) => {
      expectTypeOf(result).toEqualTypeOf<RunResult>()
      expectTypeOf(context).toEqualTypeOf<TestContext>()
    })
    loadScenario('async assertion', [checkout], async () => {})
    loadScenario('no assertion', [checkout])
    loadScenario('explicit timeout', [checkout], undefined, { timeout: 60_000 })
    loadScenario('abort on fail', [checkout], undefined, {
      abortOnFail: (live) => {
        expectTypeOf(live).toEqualTypeOf<RunResult>()
      },
      abortDelay: '5s',
    })
    // @ts-expect-error abortDelay is a duration (seconds or a string like '5s')
    loadScenario('bad delay', [checkout], undefined, { abortOnFail: () => {}, abortDelay: { seconds: 5 } })
  })

  test('has the modifiers of test()', () => {
    loadScenario.skip('skipped', [checkout])
    loadScenario.only('only', [checkout])
    loadScenario.todo('later')
    loadScenario.skipIf(process.env.CI)('not on CI', [checkout])
    loadScenario.runIf(true).skip('chained', [checkout])
    loadScenario.fails('a budget that must break', [checkout], (result) => {
      expectTypeOf(result).toEqualTypeOf<RunResult>()
    })
    loadScenario.only.skip.fails('every modifier chains', [checkout])
    expectTypeOf(loadScenario('x', [checkout])).toEqualTypeOf<void>()
    expectTypeOf(loadScenario.fails).toEqualTypeOf<LoadScenarioAPI>()
  })

  test('rejects what it cannot run', () => {
    // @ts-expect-error scenarios are an array
    loadScenario('one scenario', checkout)
    // @ts-expect-error scenarios are Scenario objects
    loadScenario('names', ['checkout'])
    // @ts-expect-error the timeout is a number of ms
    loadScenario('timeout', [checkout], undefined, { timeout: '1m' })
    // @ts-expect-error concurrent load tests would measure each other
    loadScenario.concurrent('together', [checkout])
    // @ts-expect-error load tests are sequential anyway (and Vitest 5 has no test.sequential)
    loadScenario.sequential('one at a time', [checkout])
    // @ts-expect-error each: write a loop (its message says how)
    loadScenario.each([10, 50])('at %i rps', [checkout])
    // @ts-expect-error for: the same
    loadScenario.for([10, 50])('at %i rps', [checkout])
    // @ts-expect-error fixtures are set up after the scenarios exist
    loadScenario.extend({ target: 'http://127.0.0.1:1' })
    // @ts-expect-error hooks are Vitest's own
    loadScenario.beforeAll(() => {})
  })
})

describe('what the plugin provides', () => {
  test("inject('loadspec') is the resolved config, undefined without the plugin", () => {
    expectTypeOf(inject('loadspec')).toEqualTypeOf<LoadspecConfig | undefined>()
  })

  test('task.meta.loadspec holds the key figures', () => {
    expectTypeOf<TaskMeta['loadspec']>().toEqualTypeOf<LoadspecTaskMeta | undefined>()
    expectTypeOf<LoadspecTaskMeta['scenarios'][number]['latencyMs']['p99']>().toEqualTypeOf<number>()
  })

  test('loadspec() takes the config keys in camelCase plus configFile', () => {
    expectTypeOf(loadspec({ nodeType: 'Coordinator', agentsCount: 2, configFile: 'loadspec.config.json' })).toEqualTypeOf<Plugin<LoadspecPluginApi>>()
    // @ts-expect-error unknown option
    loadspec({ agentCount: 2 })
    // @ts-expect-error agentsCount is a number (or its text)
    loadspec({ agentsCount: true })
  })
})
