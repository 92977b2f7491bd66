/**
 * loadScenario's chain inside a running Vitest: the guard, every member of
 * Vitest's createTaskCollector either declared or refused, and the modifiers
 * each link hands to the registration. What a user sees of them in a
 * `vitest run` is in test/e2e/vitest-plugin.test.ts (fixture
 * vitest-basic/collector.load.test.ts).
 */
import { describe, expect, test, TestRunner } from 'vitest'
import { Response, Scenario } from '../src/index.js'
import { loadScenario } from './load-scenario.js'
import { createTaskChain, refusedMembers, type ChainModifiers } from './task-chain.js'

const quick = Scenario.create('quick', () => Response.ok(200))
const DECLARED = ['skip', 'only', 'todo', 'fails', 'skipIf', 'runIf']

describe('called inside a running test', () => {
  test('loadScenario throws, naming both tests and what to do', () => {
    expect(() => loadScenario('registered too late', [quick])).toThrow(
      'loadScenario("registered too late") was called inside the running test "loadScenario throws, naming both tests and what to do": ' +
        'Vitest collects a file\'s tests before it runs any, so a load test registered now would never run. ' +
        'Call loadScenario at the top level of the test file or inside describe().',
    )
  })

  test('so do its modifiers, before they check any argument', () => {
    for (const register of [loadScenario.skip, loadScenario.only, loadScenario.fails, loadScenario.skipIf(true), loadScenario.runIf(true)]) {
      expect(() => register('late', [quick])).toThrow(/was called inside the running test/)
    }
    expect(() => loadScenario.todo('later')).toThrow(/was called inside the running test/)
    expect(() => loadScenario('late', 'not scenarios' as never)).toThrow(/was called inside the running test/)
  })
})

describe("the members of Vitest's createTaskCollector", () => {
  const vitestMembers = Object.getOwnPropertyNames(TestRunner.createTaskCollector(function collect() {})).filter(
    (member) => !['length', 'name', 'prototype', 'fn'].includes(member),
  )

  test('are each declared or refused', () => {
    const refused = Object.keys(refusedMembers('loadScenario'))
    expect(vitestMembers.filter((member) => !DECLARED.includes(member) && !refused.includes(member))).toEqual([])
    // And nothing is declared or refused that Vitest does not have.
    expect([...DECLARED, ...refused].filter((member) => !vitestMembers.includes(member))).toEqual([])
  })

  test.each(vitestMembers.filter((member) => !DECLARED.includes(member)))('%s refuses with why and what to write instead', (member) => {
    const attempt = (): unknown => {
      const value: unknown = Reflect.get(loadScenario, member)
      return typeof value === 'function' ? value.call(loadScenario, [10, 50]) : value
    }
    expect(attempt).toThrow(TypeError)
    expect(attempt).toThrow(new RegExp(`^loadScenario\\.${member} is not supported: .{40,}`))
  })

  test.each<[string, () => unknown, RegExp]>([
    [
      'concurrent, as soon as it is read',
      () => Reflect.get(loadScenario, 'concurrent'),
      /load tests run one at a time, also inside describe\.concurrent and under sequence\.concurrent, so that one test's load does not slow down the target another test measures\. Drop \.concurrent\./,
    ],
    ['sequential, which changes nothing for a load test', () => Reflect.get(loadScenario, 'sequential'), /load tests run one at a time.*Drop \.sequential\./],
    ['each', () => Reflect.get(loadScenario, 'each')([10]), /write a loop instead: for \(const rate of \[10, 50\]\) loadScenario\(`checkout at \$\{rate\} rps`/],
    ['for', () => Reflect.get(loadScenario, 'for')([10]), /write a loop instead/],
    ['extend', () => Reflect.get(loadScenario, 'extend')({}), /fixtures are set up when a test starts, but a load test's scenarios exist before it\. Start what they need in beforeAll\/afterAll, or in Scenario\.withInit\/withClean/],
    ['beforeAll', () => Reflect.get(loadScenario, 'beforeAll')(() => {}), /it is Vitest's: import \{ beforeAll \} from 'vitest' and call it directly/],
  ])('%s', (_member, attempt, message) => {
    expect(attempt).toThrow(message)
  })

  test('the refusals hold on every link of a chain', () => {
    expect(() => Reflect.get(loadScenario.skip.fails, 'concurrent')).toThrow(/^loadScenario\.concurrent is not supported/)
    expect(() => Reflect.get(loadScenario.runIf(false), 'each')([1])).toThrow(/^loadScenario\.each is not supported/)
  })
})

describe('each link registers with its modifiers', () => {
  // Registered while this file is collected: the guard lets registrations through only then.
  const calls: { modifiers: ChainModifiers; args: unknown[] }[] = []
  const chain = createTaskChain('recorded', (modifiers, args) => calls.push({ modifiers, args }))
  chain('plain', 1)
  chain.skip('skip')
  chain.only.fails('only fails')
  chain.skipIf(true)('skipIf true')
  chain.skipIf(false)('skipIf false')
  chain.runIf(true).fails('runIf true')
  chain.runIf(false)('runIf false')
  chain.fails.todo('todo')

  test('in the order called, with the arguments as given', () => {
    expect(calls).toEqual([
      { modifiers: {}, args: ['plain', 1] },
      { modifiers: { skip: true }, args: ['skip'] },
      { modifiers: { only: true, fails: true }, args: ['only fails'] },
      { modifiers: { skip: true }, args: ['skipIf true'] },
      { modifiers: {}, args: ['skipIf false'] },
      { modifiers: { fails: true }, args: ['runIf true'] },
      { modifiers: { skip: true }, args: ['runIf false'] },
      { modifiers: { fails: true, todo: true }, args: ['todo'] },
    ])
  })
})
