import { pathToFileURL } from 'node:url'
import { dirname, resolve } from 'node:path'

/**
 * Imports a user's module, TypeScript included, with no build step: plain
 * JavaScript goes through Node, anything else through Vite's module runner
 * (Vite arrives with Vitest, loadspec's peer).
 */
export async function importUserModule(file: string, cwd = process.cwd()): Promise<Record<string, unknown>> {
  const absolutePath = resolve(cwd, file)
  if (/\.(m?js|cjs)$/.test(absolutePath)) {
    return (await import(pathToFileURL(absolutePath).href)) as Record<string, unknown>
  }
  let vite: typeof import('vite')
  try {
    vite = await import('vite')
  } catch (error) {
    throw new Error(`loading ${file} needs Vite (installed with Vitest): npm i -D vitest. (${String(error)})`)
  }
  const { module } = await vite.runnerImport<Record<string, unknown>>(absolutePath, {
    configFile: false,
    root: dirname(absolutePath),
    logLevel: 'error',
  })
  return module
}
