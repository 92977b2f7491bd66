/**
 * Runs once in Jest's process before any test file: loadspec's global setup
 * (resolves its config and hands it to the test workers), then the shop.
 * Workers are other processes: the shop's URL reaches them through the
 * environment, like loadspec's config.
 */
import type { Server } from 'node:http'
import loadspecGlobalSetup, { type JestProjectConfigLike } from 'loadspec/jest/global-setup'
import { startShop } from './shop'

declare global {
  // For global-teardown.ts, which Jest runs in this same process.
  var shopServer: Server | undefined
}

export default async function setup(globalConfig: unknown, projectConfig: JestProjectConfigLike) {
  await loadspecGlobalSetup(globalConfig, projectConfig)
  const { url, server } = await startShop()
  globalThis.shopServer = server
  process.env['SHOP_URL'] = url
}
