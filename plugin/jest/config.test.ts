/**
 * The Jest global setup's two halves without Jest: resolving the project's
 * options (test/e2e/jest-runner.test.ts runs them inside `jest`), and the
 * environment variable that carries the result to the test workers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { ConfigError, resolveConfig } from '../../src/index.js'
import { CONFIG_ENV_VARIABLE, configFromGlobalSetup, handConfigToWorkers, type Environment } from './config-handoff.js'
import { resolveJestConfig } from './config.js'

let folder: string | undefined
afterEach(() => {
  if (folder) rmSync(folder, { recursive: true, force: true })
  folder = undefined
})

function projectWithFile(file: object, loadspec: unknown): { rootDir: string; testEnvironmentOptions: Record<string, unknown> } {
  folder = mkdtempSync(join(tmpdir(), 'loadspec-jest-config-'))
  writeFileSync(join(folder, 'loadspec.config.json'), JSON.stringify(file))
  return { rootDir: folder, testEnvironmentOptions: { loadspec } }
}

describe('resolveJestConfig', () => {
  test("CLI > environment > testEnvironmentOptions.loadspec > the file (relative to rootDir), k6's order", () => {
    const project = projectWithFile(
      { LoadStrike: { ClusterId: 'from-file', AgentGroup: 'from-file', TargetScenarios: 'unwanted', ClusterCommandTimeoutMs: 4321 } },
      { configFile: 'loadspec.config.json', targetScenarios: ['wanted'], agentGroup: 'from-options', clusterId: 'from-options', agentsCount: 2 },
    )
    const config = resolveJestConfig(project, ['--ci', '--AgentGroup=from-cli'], { LOADSPEC_AGENT_GROUP: 'from-env', LOADSPEC_CLUSTER_ID: 'from-env' })
    expect(config).toMatchObject({ targetScenarios: ['wanted'], agentGroup: 'from-cli', clusterId: 'from-env', agentsCount: 2, clusterCommandTimeoutMs: 4321 })
  })

  test('no options at all: the defaults', () => {
    expect(resolveJestConfig({ rootDir: tmpdir() }, [], {})).toEqual(resolveConfig({ argv: [], env: {} }))
  })

  test("Jest's own --config=jest.config.json is not taken for loadspec's file; --ConfigFile= is", () => {
    const project = projectWithFile({ LoadStrike: { ClusterId: 'from-file' } }, undefined)
    expect(resolveJestConfig(project, ['--config=jest.config.json'], {}).clusterId).not.toBe('from-file')
    expect(resolveJestConfig(project, ['--ConfigFile=loadspec.config.json'], {}).clusterId).toBe('from-file')
  })

  test('a bad option is a ConfigError naming the key and the value', () => {
    let error: unknown
    try {
      resolveJestConfig({ rootDir: tmpdir(), testEnvironmentOptions: { loadspec: { agentsCount: 'three', nodeTyp: 'Single' } } }, [], {})
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).issues.map((issue) => [issue.keyPath, issue.value])).toEqual([
      ['nodeTyp', 'Single'],
      ['agentsCount', 'three'],
    ])
  })

  test('options that are not an object are refused with what was given', () => {
    expect(() => resolveJestConfig({ rootDir: tmpdir(), testEnvironmentOptions: { loadspec: 'single' } }, [], {})).toThrow(
      'testEnvironmentOptions.loadspec in the Jest config must be an object of loadspec options (config keys in camelCase, plus configFile), got string "single"',
    )
    expect(() => resolveJestConfig({ rootDir: tmpdir(), testEnvironmentOptions: { loadspec: [] } }, [], {})).toThrow(/got an array$/)
  })

  test("the previous run's handoff in the environment (watch mode) is no input", () => {
    const env: Environment = { LOADSPEC_CLUSTER_ID: 'now' }
    handConfigToWorkers(resolveConfig({ argv: [], env: { LOADSPEC_CLUSTER_ID: 'before' } }), env)
    expect(resolveJestConfig({ rootDir: tmpdir() }, [], env).clusterId).toBe('now')
  })
})

describe('the handoff to workers', () => {
  test('carries the resolved config as JSON, and the Runner accepts it back', () => {
    const config = resolveConfig({ builder: { targetScenarios: ['a', 'b'], agentsCount: 2 }, argv: [], env: {} })
    const env: Environment = {}
    handConfigToWorkers(config, env)
    expect(env[CONFIG_ENV_VARIABLE]).toBe(JSON.stringify(config))
    const received = configFromGlobalSetup(env)
    expect(received).toEqual(config)
    // What loadScenario passes to withConfig validates again to the same config.
    expect(resolveConfig({ builder: received, argv: [], env: {} })).toEqual(config)
  })

  test('is undefined without the global setup', () => {
    expect(configFromGlobalSetup({})).toBeUndefined()
  })

  test('a variable that is not the setup’s JSON object is an error naming it', () => {
    expect(() => configFromGlobalSetup({ [CONFIG_ENV_VARIABLE]: '{nope' })).toThrow(/^LOADSPEC_JEST_RESOLVED_CONFIG is not the JSON that loadspec\/jest\/global-setup writes/)
    expect(() => configFromGlobalSetup({ [CONFIG_ENV_VARIABLE]: '[1]' })).toThrow(/must hold a JSON object/)
  })
})
