/**
 * The benchmarks measure what users run: the built package (`npm run bench`
 * builds first), loaded by Node itself. A static `import 'loadspec'` would do
 * the same at run time, but would make type-checking depend on a build; the
 * types come from the sources instead.
 */
type Engine = typeof import('../../src/index.js')
type HttpHelper = typeof import('../../src/http/index.js')

const engineSpecifier: string = 'loadspec'
const httpSpecifier: string = 'loadspec/http'

export const engine = (await import(engineSpecifier)) as Engine
export const httpHelper = (await import(httpSpecifier)) as HttpHelper
