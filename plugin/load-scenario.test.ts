/**
 * loadScenario in this repository's own Vitest, which has no loadspec()
 * plugin: it must run with the default configuration (a single node). The
 * plugin's part is tested end to end in test/e2e/vitest-plugin.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest'
import { Response, Scenario, Simulation } from '../src/index.js'
import { loadScenario } from './load-scenario.js'

// The defaults write report files to ./load-reports: keep them out of the repository.
const originalCwd = process.cwd()
let reportsCwd = ''
beforeAll(() => {
  reportsCwd = mkdtempSync(join(tmpdir(), 'loadspec-load-scenario-'))
  process.chdir(reportsCwd)
})
afterAll(() => {
  process.chdir(originalCwd)
  rmSync(reportsCwd, { recursive: true, force: true })
})

const quick = Scenario.create('quick', (ctx) => Response.ok(200, ctx.invocationNumber)).withLoadSimulations(Simulation.iterationsForConstant(2, 20))

describe('without the plugin', () => {
  let seen: { annotations: string[]; meta: unknown } | undefined
  afterEach(({ task }) => {
    if (task.name === 'runs on a single node with the defaults') seen = { annotations: task.annotations.map((a) => `${a.type}: ${a.message}`), meta: task.meta.loadspec }
  })

  test('no config is provided', () => {
    expect(inject('loadspec')).toBeUndefined()
  })

  loadScenario('runs on a single node with the defaults', [quick], (result, context) => {
    expect(result.nodes.map((node) => node.nodeType)).toEqual(['Single'])
    expect(result.getScenarioStats('quick').ok.request.count).toBe(20)
    expect(context.task.name).toBe('runs on a single node with the defaults')
  })

  test('the load test annotated its summary and put its figures in task.meta', () => {
    expect(seen?.annotations).toEqual([expect.stringMatching(/^loadspec: quick: [\d.]+ rps \(all requests\) · ok p50 [\d.]+ ms · ok p99 [\d.]+ ms · fail 0\.0 % · dropped 0$/)])
    expect(seen?.meta).toMatchObject({ nodeCount: 1, scenarios: [{ name: 'quick', okCount: 20, failCount: 0 }] })
  })
})

describe('result warnings', () => {
  const messy = Scenario.create('messy', () => Response.ok())
    .withLoadSimulations(Simulation.iterationsForConstant(1, 1))
    .withClean(() => {
      throw new Error('could not delete the test data')
    })
  let annotations: string[] = []
  afterEach(({ task }) => {
    if (task.name === 'a clean failure') annotations = task.annotations.map((a) => `${a.type}: ${a.message}`)
  })

  loadScenario('a clean failure', [messy], (result) => {
    expect(result.warnings).toHaveLength(1)
  })

  test('are annotated, so a reporter shows them', () => {
    expect(annotations).toContainEqual(expect.stringMatching(/^loadspec warning: .*could not delete the test data/))
  })
})

describe('registration', () => {
  // loadScenario checks its arguments while the file is collected; capture what it throws to assert on it in a test.
  const errors: string[] = []
  const attempt = (register: () => void): void => {
    try {
      register()
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error))
    }
  }
  attempt(() => loadScenario('', [quick]))
  attempt(() => loadScenario('empty list', []))
  attempt(() => loadScenario('one scenario', quick as never))
  attempt(() => loadScenario('not scenarios', [quick, { name: 'fake' }] as never))
  attempt(() => loadScenario('assert', [quick], 'yes' as never))
  attempt(() => loadScenario('options', [quick], undefined, 5000 as never))
  attempt(() => loadScenario('timeout', [quick], undefined, { timeout: -1 }))
  attempt(() => loadScenario('agent lost', [quick], undefined, { onAgentLost: 'ignore' as never }))
  // A todo needs no scenarios: it never runs.
  attempt(() => loadScenario.todo('a todo without scenarios'))

  test('refuses what it cannot run, with the test name and what to do', () => {
    expect(errors).toEqual([
      'loadScenario(name, …): name must be a non-empty string, got ""',
      'loadScenario("empty list"): scenarios must be a non-empty array of Scenario',
      'loadScenario("one scenario"): scenarios must be a non-empty array of Scenario (wrap it in an array: [quick])',
      'loadScenario("not scenarios"): scenarios[1] is not a Scenario (make one with Scenario.create(name, handler))',
      'loadScenario("assert"): assert must be a function (result) => void, got string',
      'loadScenario("options"): options must be an object such as { timeout: 60_000 }',
      'loadScenario("timeout"): options.timeout must be a positive number of milliseconds (at most 2147483647), got -1',
      `loadScenario("agent lost"): options.onAgentLost must be 'fail' or 'warn', got "ignore"`,
    ])
  })
})
