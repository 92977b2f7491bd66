/**
 * Whether every test of a file ran and passed, read from Vitest's task tree
 * and from jest-circus's state as the setup files see them (shapes copied
 * from Vitest 4.1 and Jest 30; the e2e tests run the real ones).
 */
import { describe, expect, test } from 'vitest'
import { everyVitestTestPassed } from './obsolete-baselines.js'
import { everyJestTestPassed } from './jest/test-outcomes.js'

describe('everyVitestTestPassed', () => {
  const passed = { type: 'test', mode: 'run', result: { state: 'pass' } }
  test('true when every test, in every suite, ran and passed; todo tests do not count', () => {
    expect(everyVitestTestPassed({ type: 'suite', mode: 'run', tasks: [passed, { type: 'suite', mode: 'run', tasks: [passed, { type: 'test', mode: 'todo' }] }] })).toBe(true)
    expect(everyVitestTestPassed({ type: 'suite', mode: 'run', tasks: [] })).toBe(true)
  })
  test('false with a test skipped or filtered out (mode skip), failed, or expected to fail; false for what is not a suite', () => {
    const file = (test: object) => ({ type: 'suite', mode: 'run', tasks: [passed, { type: 'suite', mode: 'run', tasks: [test] }] })
    expect(everyVitestTestPassed(file({ type: 'test', mode: 'skip', result: { state: 'skip' } }))).toBe(false)
    expect(everyVitestTestPassed(file({ type: 'test', mode: 'skip' }))).toBe(false)
    expect(everyVitestTestPassed(file({ type: 'test', mode: 'run', result: { state: 'fail' } }))).toBe(false)
    expect(everyVitestTestPassed(file({ type: 'test', mode: 'run', fails: true, result: { state: 'pass' } }))).toBe(false)
    expect(everyVitestTestPassed(undefined)).toBe(false)
    expect(everyVitestTestPassed({})).toBe(false)
  })
})

describe('everyJestTestPassed', () => {
  /** A test file's global as jest-circus leaves it: its state under a symbol that only its description names. */
  function jestGlobal(children: object[]): object {
    return { [Symbol('JEST_STATE_SYMBOL')]: { rootDescribeBlock: { type: 'describeBlock', name: 'ROOT_DESCRIBE_BLOCK', children } } }
  }
  const done = { type: 'test', status: 'done', errors: [], failing: false }

  test('true when every test ran without errors; todo tests do not count', () => {
    expect(everyJestTestPassed(jestGlobal([done, { type: 'describeBlock', children: [done, { type: 'test', status: 'todo', errors: [] }] }]))).toBe(true)
  })
  test('false with a test skipped or filtered out (status skip), failed, or expected to fail', () => {
    expect(everyJestTestPassed(jestGlobal([done, { type: 'describeBlock', children: [{ type: 'test', status: 'skip', errors: [] }] }]))).toBe(false)
    expect(everyJestTestPassed(jestGlobal([{ ...done, errors: [[new Error('boom'), undefined]] }]))).toBe(false)
    expect(everyJestTestPassed(jestGlobal([{ ...done, failing: true }]))).toBe(false)
    expect(everyJestTestPassed(jestGlobal([{ type: 'test', status: null, errors: [] }]))).toBe(false)
  })
  test('false when no jest-circus state is found (another runner, another Jest): nothing is then removed', () => {
    expect(everyJestTestPassed({})).toBe(false)
    expect(everyJestTestPassed({ [Symbol('JEST_STATE_SYMBOL')]: {} })).toBe(false)
    expect(everyJestTestPassed(globalThis)).toBe(false)
  })
})
