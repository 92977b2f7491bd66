/** Report files: one timestamped folder per run, every format written and listed, failures kept as warnings. */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { resolveConfig, type LoadspecConfig, type LoadspecConfigInput } from '../../src/config/index.js'
import { RunOutput } from '../../src/reports/run-output.js'
import { createRunFolder, runFolderName } from '../../src/reports/run-folder.js'
import { parseRunResultJson } from '../../src/reports/result-schema.js'
import { writeRunReports } from '../../src/reports/write.js'
import { sampleSerializedResult } from './reports-fixtures.js'

let temp: string
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'loadspec-reports-'))
})
afterEach(async () => {
  await rm(temp, { recursive: true, force: true })
})

describe('run folders', () => {
  test('are named after the start time in UTC, without colons', () => {
    expect(runFolderName('2025-03-04T05:06:07.890Z')).toBe('2025-03-04T05-06-07Z')
    expect(runFolderName('2025-03-04T07:06:07.890+02:00')).toBe('2025-03-04T05-06-07Z')
  })

  test('runs that start in the same second get folders of their own', async () => {
    const folders = await Promise.all([1, 2, 3].map(() => createRunFolder(join(temp, 'reports'), '2025-03-04T05:06:07.890Z')))
    expect(folders.map((folder) => folder.slice(temp.length + 9)).sort()).toEqual(['2025-03-04T05-06-07Z', '2025-03-04T05-06-07Z-2', '2025-03-04T05-06-07Z-3'])
    expect(await createRunFolder(join(temp, 'reports'), '2025-03-04T05:06:07.890Z', 'merged')).toBe(join(temp, 'reports', '2025-03-04T05-06-07Z-merged'))
  })
})

describe('writeRunReports', () => {
  test('writes every format into the run folder and lists the files on the result and in the JSON report', async () => {
    const serialized = await sampleSerializedResult()
    const result = await writeRunReports(serialized, { reportFolder: 'out', formats: ['html', 'json', 'md', 'txt', 'csv'], cwd: temp })
    const folder = join(temp, 'out', '2025-03-04T05-06-07Z')
    expect((await readdir(folder)).sort()).toEqual(['loadspec-report.csv', 'loadspec-report.html', 'loadspec-report.json', 'loadspec-report.md', 'loadspec-report.txt'])
    expect(result.reportFiles).toEqual(['html', 'json', 'md', 'txt', 'csv'].map((ext) => join(folder, `loadspec-report.${ext}`)))
    const json = parseRunResultJson(await readFile(join(folder, 'loadspec-report.json'), 'utf8'), 'report')
    expect(json.reportFiles).toEqual(result.reportFiles)
    expect(result.warnings).toEqual(serialized.warnings)
  })

  test('only the formats asked for', async () => {
    const result = await writeRunReports(await sampleSerializedResult(), { reportFolder: temp, formats: ['md'] })
    expect(result.reportFiles).toEqual([join(temp, '2025-03-04T05-06-07Z', 'loadspec-report.md')])
  })

  test('each file is written under a temporary name and renamed: none is left, and a folder is made only when a file is written', async () => {
    const serialized = await sampleSerializedResult()
    await writeRunReports(serialized, { reportFolder: join(temp, 'r'), formats: ['json', 'html'] })
    expect(await readdir(join(temp, 'r', '2025-03-04T05-06-07Z'))).toEqual(['loadspec-report.html', 'loadspec-report.json'])
    const none = await writeRunReports(serialized, { reportFolder: join(temp, 'empty'), formats: [] })
    expect(none.reportFiles).toEqual([])
    expect(await readdir(temp)).toEqual(['r'])
  })

  test('into an exact folder (a load test inside a test run), created only then', async () => {
    const serialized = await sampleSerializedResult()
    const folder = join(temp, 'run', 'checkout-keeps-p99-3fa2c1')
    const result = await writeRunReports(serialized, { reportFolder: join(temp, 'unused'), formats: ['md'], folder })
    expect(result.reportFiles).toEqual([join(folder, 'loadspec-report.md')])
    expect(await readdir(temp)).toEqual(['run'])
  })

  test('a folder that cannot be created loses nothing measured: a warning, no files, the same figures', async () => {
    const serialized = await sampleSerializedResult()
    await writeFile(join(temp, 'a-file'), 'not a folder')
    const result = await writeRunReports(serialized, { reportFolder: join(temp, 'a-file', 'reports'), formats: ['json'] })
    expect(result.reportFiles).toEqual([])
    expect(result.warnings.at(-1)).toMatch(/^reports were not written: cannot create a folder in .*a-file.reports: ENOTDIR/)
    expect(result.getScenarioStats('checkout').ok.request.count).toBe(200)
  })
})

describe('RunOutput after a run', () => {
  const config = (input: LoadspecConfigInput): LoadspecConfig => resolveConfig({ builder: input, argv: [], env: {} })

  test('writes reports to the configured folder and formats', async () => {
    const output = RunOutput.start(config({ reportFolder: join(temp, 'r'), reportFormats: 'json,csv' }), [], { quiet: true })
    const result = await output.finish(await sampleSerializedResult())
    expect(result.reportFiles.map((file) => file.slice(file.lastIndexOf('.')))).toEqual(['.json', '.csv'])
  })

  test('writes nothing when reports are off, or on an agent (the coordinator reports the merged run)', async () => {
    for (const input of [{ reportFolder: join(temp, 'off'), reportsEnabled: false }, { reportFolder: join(temp, 'agent'), nodeType: 'Agent', natsServerUrl: 'nats://127.0.0.1:4222' }]) {
      const output = RunOutput.start(config(input), [], { quiet: true })
      const result = await output.finish(await sampleSerializedResult())
      expect(result.reportFiles).toEqual([])
    }
    expect(await readdir(temp)).toEqual([])
  })
})
