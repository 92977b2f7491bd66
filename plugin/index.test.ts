import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { ConfigError } from '../src/index.js'
import { loadspec } from './index.js'
import { findPluginOptions } from './plugin-api.js'

type ConfigHook = (config: { root?: string }) => { test: { globalSetup: string[]; setupFiles: string[] } }

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
