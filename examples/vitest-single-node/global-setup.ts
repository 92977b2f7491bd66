/** Starts the shop once for the whole run and tells the test files where it is. */
import type { TestProject } from 'vitest/node'
import { startShop } from './shop.js'

declare module 'vitest' {
  interface ProvidedContext {
    shopUrl: string
  }
}

export default async function setup(project: TestProject) {
  const { url, server } = await startShop()
  project.provide('shopUrl', url)
  return () => new Promise<void>((resolve) => server.close(() => resolve()))
}
