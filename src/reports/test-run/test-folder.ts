/**
 * The folder of one load test inside its test run's report folder, named
 * after the test so a person finds it: a slug of its full name (describe
 * blocks included) and a short hash of its file and full name, which keeps
 * two tests of the same name in different files apart and stays the same
 * from run to run.
 */
import { createHash } from 'node:crypto'

const MAX_SLUG_CHARS = 60

/** `checkout keeps p99 under 250 ms` in `load/checkout.load.test.ts` → `checkout-keeps-p99-under-250-ms-3fa2c1d0`. */
export function testFolderName(fullName: string, relativeFile: string): string {
  const slug =
    fullName
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+/, '')
      .slice(0, MAX_SLUG_CHARS)
      .replace(/-+$/, '') || 'load-test'
  const hash = createHash('sha256').update(`${relativeFile}\u0000${fullName}`).digest('hex').slice(0, 8)
  return `${slug}-${hash}`
}
