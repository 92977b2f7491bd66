import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import type { TestProject } from 'vitest/node'
import { ConfigError } from '../src/index.js'
import setup from './global-setup.js'
import { loadspec, type LoadspecPluginOptions } from './index.js'
import { findPluginOptions } from './plugin-api.js'

type ConfigHook = (config: { root?: string; test?: { fileParallelism?: boolean } }) => {
  test: { globalSetup: string[]; setupFiles: string[]; fileParallelism?: boolean }
}

/** Calls the plugin's config hook as Vite does. */
function configHook(plugin: ReturnType<typeof loadspec>): ConfigHook {
  const hook = plugin.config
  if (typeof hook !== 'function') throw new Error('loadspec() has no config() hook')
  return hook as unknown as ConfigHook
}

let folder: string | undefined
afterEach(() => {
  if (folder) rmSync(folder, { recursive: true, force: true })
  folder = undefined
})

describe('loadspec()', () => {
  test('adds its global setup and setup file, which exist next to it', () => {
    const { test: added } = configHook(loadspec())({})
    expect(added.globalSetup).toEqual([expect.stringMatching(/[/\\]plugin[/\\]global-setup\.(ts|js)$/)])
    expect(added.setupFiles).toEqual([expect.stringMatching(/[/\\]plugin[/\\]setup-file\.(ts|js)$/)])
    for (const file of [...added.globalSetup, ...added.setupFiles]) expect(existsSync(file)).toBe(true)
  })

  test('throws a ConfigError naming the key and the value at config time', () => {
    const plugin = loadspec({ nodeType: 'Leader', clusterCommandTimeoutMs: -5 })
    let error: unknown
    try {
      configHook(plugin)({})
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).issues.map((issue) => [issue.keyPath, issue.value])).toEqual([
      ['nodeType', 'Leader'],
      ['clusterCommandTimeoutMs', -5],
    ])
  })

  test('reads configFile relative to the Vitest root, and validates it too', () => {
    folder = mkdtempSync(join(tmpdir(), 'loadspec-plugin-'))
    writeFileSync(join(folder, 'loadspec.config.json'), JSON.stringify({ LoadStrike: { AgentsCount: 'three' } }))
    const plugin = loadspec({ configFile: 'loadspec.config.json' })
    expect(() => configHook(plugin)({ root: folder })).toThrow(/AgentsCount must be a positive integer, got "three" \(from .*loadspec\.config\.json at LoadStrike\.AgentsCount\)/)
  })

  test('exposes its options to the global setup through its api, as given', () => {
    const plugin = loadspec({ targetScenarios: ['a'] })
    expect(findPluginOptions([{ name: 'vite:other' }, plugin])).toEqual({ targetScenarios: ['a'] })
    expect(findPluginOptions([{ name: 'vite:other' }])).toBeUndefined()
  })
})

describe('loadspec() with a coordinator over NATS', () => {
  const coordinator: LoadspecPluginOptions = { nodeType: 'Coordinator', natsServerUrl: 'nats://127.0.0.1:4222', agentsCount: 2 }

  test('runs one test file at a time: coordinators in parallel would compete for the agents', () => {
    expect(configHook(loadspec(coordinator))({}).test.fileParallelism).toBe(false)
  })

  test("leaves file parallelism to the user's choice, and alone when nothing is coordinated over NATS", () => {
    expect(configHook(loadspec(coordinator))({ test: { fileParallelism: true } }).test.fileParallelism).toBeUndefined()
    expect(configHook(loadspec({ ...coordinator, enableLocalDevCluster: true }))({}).test.fileParallelism).toBeUndefined()
    expect(configHook(loadspec())({}).test.fileParallelism).toBeUndefined()
  })
})

describe('onAgentLost, a plugin option that is not a config key', () => {
  test('is accepted, and a bad value is listed with the config problems at config time', () => {
    expect(() => configHook(loadspec({ onAgentLost: 'warn' }))({})).not.toThrow()
    let error: unknown
    try {
      configHook(loadspec({ onAgentLost: 'ignore' as never, agentsCount: -1 }))({})
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).message).toBe(
      [
        'Invalid loadspec configuration (2 problems):',
        '  - AgentsCount must be a positive integer, got -1 (from builder/plugin option agentsCount)',
        `  - onAgentLost must be 'fail' or 'warn', got "ignore" (from builder/plugin option onAgentLost)`,
      ].join('\n'),
    )
  })

  test('the global setup provides it with its default next to the config, without handing it to the engine', async () => {
    const provided = new Map<string, unknown>()
    const project = (options: LoadspecPluginOptions) =>
      ({
        vite: { config: { plugins: [loadspec(options)] } },
        config: { root: process.cwd() },
        provide: (key: string, value: unknown) => provided.set(key, value),
        onTestsRerun: (rerun: () => void) => reruns.push(rerun),
      }) as unknown as TestProject
    const reruns: (() => void)[] = []
    await setup(project({ onAgentLost: 'warn', clusterId: 'shop' }))
    expect(provided.get('loadspecPlugin')).toEqual({ onAgentLost: 'warn' })
    expect(provided.get('loadspec')).toMatchObject({ nodeType: 'Single', clusterId: 'shop' })
    expect(provided.get('loadspec')).not.toHaveProperty('onAgentLost')
    await setup(project({}))
    expect(provided.get('loadspecPlugin')).toEqual({ onAgentLost: 'fail' })
    // The test run's report folder, named (not made) under ReportFolder, and a new one for every watch-mode rerun.
    expect(provided.get('loadspecRun')).toMatchObject({ root: process.cwd(), writesIndex: true, folder: expect.stringMatching(/load-reports\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ(-\d+)?$/) })
    expect(reruns).toHaveLength(2)
  })
})
