/** A load test's entry in its test run: the verdict as the runner gives it, `.fails` included. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { readTestEntry } from '../src/reports/test-run/index.js'
import { recordLoadTest, testReportFolder, type LoadTestIdentity, type TestRunTarget } from './test-run.js'

let temp: string
let target: TestRunTarget
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'loadspec-test-run-record-'))
  target = { folder: join(temp, 'run'), root: temp, writesIndex: true }
})
afterEach(async () => {
  await rm(temp, { recursive: true, force: true })
})

async function recorded(identity: LoadTestIdentity, failure: unknown) {
  const folder = await testReportFolder(target, identity)
  expect(await recordLoadTest(target, { identity, folder, startedAt: new Date(), result: undefined, failure })).toBeUndefined()
  return { folder, entry: await readTestEntry(folder) }
}

test('a thrown failure fails the entry; under .fails it passes, and a .fails test that passed is a failure', async () => {
  const file = join(temp, 'load/a.load.test.ts')
  expect((await recorded({ key: 'a', name: 'a', fullName: 'a', file }, new Error('p99 over budget'))).entry).toMatchObject({ verdict: 'failed', failureMessage: 'p99 over budget', file: 'load/a.load.test.ts' })
  expect((await recorded({ key: 'b', name: 'b', fullName: 'b', file, expectsFailure: true }, new Error('broke as it must'))).entry).toMatchObject({ verdict: 'passed' })
  expect((await recorded({ key: 'c', name: 'c', fullName: 'c', file, expectsFailure: true }, undefined)).entry).toMatchObject({ verdict: 'failed', failureMessage: 'expected to fail (.fails), but it passed' })
})

test('two tests of the same full name in one file get two folders; a retry of one keeps its folder', async () => {
  const file = join(temp, 'a.load.test.ts')
  const first = await recorded({ key: 'id-1', name: 't', fullName: 't', file }, undefined)
  const second = await recorded({ key: 'id-2', name: 't', fullName: 't', file }, undefined)
  expect(second.folder).toBe(`${first.folder}-2`)
  expect(await testReportFolder(target, { key: 'id-1', name: 't', fullName: 't', file })).toBe(first.folder)
})
