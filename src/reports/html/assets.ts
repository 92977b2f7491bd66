/**
 * uPlot, inlined into every HTML report: the page makes no network request
 * and opens from a file, an artifact store or a mail attachment alike. Read
 * from the installed package (a dependency of loadspec) on first use.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

export interface ChartLibrary {
  readonly script: string
  readonly css: string
}

let cached: ChartLibrary | undefined

export function chartLibrary(): ChartLibrary {
  cached ??= readChartLibrary()
  return cached
}

function readChartLibrary(): ChartLibrary {
  // createRequire rather than import.meta.resolve: it works the same under Node and under Vite's module runner.
  const require = createRequire(import.meta.url)
  const read = (file: string): string => {
    try {
      return readFileSync(require.resolve(`uplot/dist/${file}`), 'utf8')
    } catch (error) {
      throw new Error(`The HTML report needs the "uplot" package (a dependency of loadspec), but uplot/dist/${file} could not be read: ${String(error)}. Reinstall loadspec's dependencies (npm ci).`, {
        cause: error,
      })
    }
  }
  return { script: read('uPlot.iife.min.js'), css: read('uPlot.min.css') }
}
