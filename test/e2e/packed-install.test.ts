/**
 * What a user on Node 20 meets first: loadspec packed as it would be
 * published, installed with the repository's Vitest into an empty project,
 * and one `vitest run` there. The install must not warn that a dependency
 * wants a newer Node (EBADENGINE), and the run must not warn about source
 * maps that point at files the package does not ship. Skipped, with the
 * reason printed, only when the npm registry cannot be reached.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { runNpm } from '../support/npm.js'
import { fixturesDir, repoRoot, runVitest, type ProcessResult } from '../support/vitest-cli.js'

const INSTALL_TIMEOUT_MS = 240_000
/** npm's words when it cannot reach the registry (as in ../support/npm.ts). */
const UNREACHABLE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b/

let project = ''
let install: ProcessResult | undefined
let unreachable: string | undefined

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'loadspec-packed-'))
  const pack = await runNpm(['pack', '--json', '--pack-destination', project], repoRoot)
  if (pack.exitCode !== 0) throw new Error(`npm pack failed:\n${pack.output}`)
  const [{ filename }] = JSON.parse(pack.stdout) as [{ filename: string }]
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'loadspec-packed-check', private: true, type: 'module' }, null, 2))
  // The Vitest this repository tests with: usually in npm's cache already, so the install is quick.
  const vitestVersion = (JSON.parse(readFileSync(join(repoRoot, 'node_modules/vitest/package.json'), 'utf8')) as { version: string }).version
  // npm's default log level, so that warnings (EBADENGINE among them) are printed as a user sees them.
  install = await runNpm(['install', '--no-audit', '--no-fund', '--prefer-offline', `./${filename}`, `vitest@${vitestVersion}`], project, INSTALL_TIMEOUT_MS)
  if (install.exitCode !== 0 && UNREACHABLE.test(install.output)) {
    unreachable = install.output.trim().split('\n').at(-1)
    console.warn(`[packed-install.test] SKIPPED: npm registry unreachable: ${unreachable}`)
    return
  }
  if (install.exitCode !== 0) throw new Error(`npm install in ${project} failed (exit ${install.exitCode}):\n${install.output}`)
  for (const file of readdirSync(join(fixturesDir, 'vitest-basic')).filter((name) => name.endsWith('.ts'))) {
    copyFileSync(join(fixturesDir, 'vitest-basic', file), join(project, file))
  }
}, INSTALL_TIMEOUT_MS + 30_000)

afterAll(() => {
  if (project !== '') rmSync(project, { recursive: true, force: true })
})

test(`npm install of the packed tarball on Node ${process.versions.node} warns about no engine`, (context) => {
  if (unreachable !== undefined) context.skip(`npm registry unreachable: ${unreachable}`)
  expect(process.versions.node).toMatch(/^20\./)
  expect(install?.output).not.toMatch(/EBADENGINE|Unsupported engine/)
  // Nothing in the installed tree asks for more than Node 20.
  const nuid = JSON.parse(readFileSync(join(project, 'node_modules/@nats-io/nuid/package.json'), 'utf8')) as { engines?: { node?: string } }
  expect(nuid.engines?.node).not.toMatch(/22/)
})

test('vitest run in that project prints no source-map warning, and no map ships', async (context) => {
  if (unreachable !== undefined) context.skip(`npm registry unreachable: ${unreachable}`)
  const run = await runVitest(['budget-pass'], { cwd: project, vitest: join(project, 'node_modules/vitest/vitest.mjs') })
  expect(run.exitCode, run.output).toBe(0)
  expect(run.stdout).toMatch(/Tests\s+3 passed \| 3 skipped \| 1 todo \(7\)/)
  expect(run.output).not.toContain('Sourcemap for')
  const shipped = readdirSync(join(project, 'node_modules/loadspec/dist'), { recursive: true }).map(String)
  expect(shipped.filter((file) => file.endsWith('.map'))).toEqual([])
}, 120_000)
