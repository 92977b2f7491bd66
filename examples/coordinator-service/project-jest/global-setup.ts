import loadspecGlobalSetup, { type JestProjectConfigLike } from 'loadspec/jest/global-setup'

// With NodeType Client, loadspec's global setup asks the coordinator service for its status first: await it.
export default async function setup(globalConfig: unknown, projectConfig: JestProjectConfigLike) {
  await loadspecGlobalSetup(globalConfig, projectConfig)
}
