/**
 * Runs once in Vitest's process before any test file: resolves the final
 * configuration and provides it to the test workers, where loadScenario
 * reads it with `inject('loadspec')`. Workers never read argv or the
 * environment themselves: theirs are not the ones the user started vitest with.
 */
import type { TestProject } from 'vitest/node'
import { resolvePluginConfig } from './config.js'
import { findPluginOptions } from './plugin-api.js'

export default function setup(project: TestProject): void {
  const options = findPluginOptions(project.vite.config.plugins) ?? {}
  project.provide('loadspec', resolvePluginConfig(options, project.config.root))
}
