/**
 * Reports after a real run, and `loadspec report` on them as a user runs it
 * (`node bin/loadspec.js`, so `npm run build` first; `npm test` does).
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createRunResult, Response, Runner, Scenario, Simulation, Step, type RunResult } from '../../src/index.js'
import { renderMarkdown } from '../../src/reports/markdown.js'
import { formatMs } from '../../src/reports/format.js'
import { parseRunResultJson } from '../../src/reports/result-schema.js'
import { mergeRunResults } from '../../src/result/merge.js'
import type { SerializedRunResult } from '../../src/result/result.js'
import { plain } from '../unit/stats-helpers.js'
import { repoRoot, runProcess, type ProcessResult } from '../support/vitest-cli.js'

let temp: string
let fast: RunResult
let slow: RunResult

function loadspec(args: readonly string[]): Promise<ProcessResult> {
  return runProcess([join(repoRoot, 'bin/loadspec.js'), ...args], { cwd: temp, timeoutMs: 60_000 })
}

/** One scenario, two nodes that see different latencies: as two agents of a cluster would. */
function shared(slowEvery: number): Scenario {
  return Scenario.create('shared', async (ctx) => {
    await Step.run('lookup', ctx, () => Response.ok(200, 10, '', 1))
    if (ctx.invocationNumber % 10 === 9) return Response.fail(503, 'busy', 0, 3)
    return Response.ok(200, 100, '', ctx.invocationNumber % slowEvery === 0 ? 80 : 2)
  }).withLoadSimulations(Simulation.inject(100, 1, '600ms'))
}

function runInto(folder: string, scenario: Scenario): Promise<RunResult> {
  return Runner.registerScenarios(scenario)
    .withConfigSources({ argv: [], env: {} })
    .withReportFolder(folder)
    .withReportFormats('json')
    .withConfig({ reportingIntervalMs: 200 })
    .run()
}

async function readJson(path: string): Promise<SerializedRunResult> {
  return parseRunResultJson(await readFile(path, 'utf8'), path)
}

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'loadspec-report-cli-'))
  ;[fast, slow] = await Promise.all([runInto(join(temp, 'a'), shared(1000)), runInto(join(temp, 'b'), shared(4))])
})
afterAll(async () => {
  await rm(temp, { recursive: true, force: true })
})

describe('reports after Runner.run()', () => {
  test('go into a timestamped folder under the report folder, in the formats asked for, listed on the result', async () => {
    expect(fast.reportFiles).toHaveLength(1)
    const [file] = fast.reportFiles
    expect(basename(file ?? '')).toBe('loadspec-report.json')
    expect(basename(dirname(file ?? ''))).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/)
    expect(dirname(dirname(file ?? ''))).toBe(join(temp, 'a'))
    const saved = await readJson(file ?? '')
    expect(saved).toEqual(plain(fast.toJSON()))
    expect(saved.timeSeries.points.length).toBeGreaterThanOrEqual(3)
  })

  test('withoutReports writes nothing', async () => {
    const result = await Runner.registerScenarios(shared(5).withLoadSimulations(Simulation.iterationsForConstant(1, 3)))
      .withConfigSources({ argv: [], env: {} })
      .withReportFolder(join(temp, 'none'))
      .withoutReports()
      .run()
    expect(result.reportFiles).toEqual([])
    await expect(stat(join(temp, 'none'))).rejects.toThrow(/ENOENT/)
  })
})

describe('loadspec report', () => {
  test('--merge a.json b.json equals the cluster merge of the same results', async () => {
    const [a, b] = await Promise.all([readJson(fast.reportFiles[0] ?? ''), readJson(slow.reportFiles[0] ?? '')])
    const run = await loadspec(['report', '--merge', fast.reportFiles[0] ?? '', slow.reportFiles[0] ?? '', '--out=merged'])
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    const outputs = ['html', 'json', 'md', 'txt', 'csv'].map((ext) => join('merged', `loadspec-report.${ext}`))
    expect(run.stdout.trim().split('\n')).toEqual(outputs)

    const merged = await readJson(join(temp, 'merged', 'loadspec-report.json'))
    const expected = mergeRunResults([a, b])
    expect({ ...merged, reportFiles: [] }).toEqual(plain(expected))
    expect(merged.reportFiles).toEqual(outputs.map((file) => join(temp, file)))

    // Exact: the merged p99 lies between the nodes' own, and is what the reports show.
    const stats = createRunResult(merged).getScenarioStats('shared')
    expect(stats.ok.request.count + stats.fail.request.count).toBe(120)
    expect(stats.ok.latencyMs.p99).toBeGreaterThan(fast.getScenarioStats('shared').ok.latencyMs.p99)
    const markdown = await readFile(join(temp, 'merged', 'loadspec-report.md'), 'utf8')
    expect(markdown).toContain(`| shared | 120 | ${stats.ok.request.count} | ${stats.fail.request.count} |`)
    expect(markdown).toContain(`| ${formatMs(stats.ok.latencyMs.p99)} |`)
    // Who ran what: both nodes are listed.
    expect(merged.nodes.map((node) => node.nodeId)).toEqual([...fast.nodes, ...slow.nodes].map((node) => node.nodeId))
    expect(markdown.match(/^\| [^|]+ \| Single \|/gm)).toHaveLength(2)
  })

  test('--compare base.json new.json names each regressed figure with baseline and now, and exits 1; the same run compares clean', async () => {
    const [base, now] = [fast.reportFiles[0] ?? '', slow.reportFiles[0] ?? '']
    const regressed = await loadspec(['report', '--compare', base, now])
    expect(regressed.exitCode, regressed.output).toBe(1)
    const [was, is] = [fast.getScenarioStats('shared').ok.latencyMs, slow.getScenarioStats('shared').ok.latencyMs]
    expect(regressed.stdout).toContain('scenario "shared": regressed')
    expect(regressed.stdout).toContain(`  ok p99 ${is.p99.toFixed(2)} ms, baseline ${was.p99.toFixed(2)} ms (+`)
    expect(regressed.stdout).toContain('tolerances: ok p50/p95/p99 +10 % and at least +1 ms, fail rate +1 point, rps −10 %')
    const clean = await loadspec(['report', '--compare', base, base])
    expect(clean.exitCode, clean.output).toBe(0)
    expect(clean.stdout).toMatch(/scenario "shared": within tolerance \(ok p50 [\d.]+ → [\d.]+ ms/)
    const bad = await loadspec(['report', '--compare', base])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain('--compare takes two results, the baseline first (and no --merge), got 1')
  })

  test('re-renders one result next to it in the formats asked for, leaving the JSON as it was', async () => {
    const input = slow.reportFiles[0] ?? ''
    const before = await readFile(input, 'utf8')
    const run = await loadspec(['report', input, '--format', 'html,md'])
    expect(run.exitCode).toBe(0)
    const folder = dirname(input)
    expect((await readdir(folder)).sort()).toEqual(['loadspec-report.html', 'loadspec-report.json', 'loadspec-report.md'])
    expect(await readFile(input, 'utf8')).toBe(before)
    const markdown = await readFile(join(folder, 'loadspec-report.md'), 'utf8')
    expect(markdown).toBe(renderMarkdown(createRunResult(await readJson(input))))
    const html = await readFile(join(folder, 'loadspec-report.html'), 'utf8')
    expect(html).toContain(`<td class="num">${formatMs(slow.getScenarioStats('shared').ok.latencyMs.p99)}</td>`)
  })

  test('says what is wrong with a file that is not a result, and exits 1', async () => {
    await writeFile(join(temp, 'broken.json'), JSON.stringify({ version: 1, startedAt: 'yesterday' }))
    const run = await loadspec(['report', 'broken.json'])
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toContain(`${join(temp, 'broken.json')} is not a valid loadspec result:`)
    expect(run.stderr).toMatch(/Invalid ISO datetime\s+→ at startedAt/)
    const missing = await loadspec(['report', 'missing.json'])
    expect(missing.exitCode).toBe(1)
    expect(missing.stderr).toContain(`Cannot read ${join(temp, 'missing.json')}: ENOENT`)
  })

  test('bad usage exits 2 with the usage text', async () => {
    for (const args of [['report'], ['report', 'a.json', '--format=pdf'], ['report', '--merge', 'a.json'], ['report', 'a.json', '--colour']]) {
      const run = await loadspec(args)
      expect(run.exitCode, args.join(' ')).toBe(2)
      expect(run.stderr).toContain('usage: loadspec report <result.json>...')
    }
  })
})
