/**
 * The README is a quick start that fits on a screen, and neither it nor the
 * docs point outside the repository: a user has the repository and nothing
 * beside it (no ../shared/DESIGN.md).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { expect, test } from 'vitest'
import { repoRoot } from '../support/vitest-cli.js'

const pages = ['README.md', ...readdirSync(join(repoRoot, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)]

test('the README fits on a screen: at most 90 lines and 5 KB', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
  expect(readme.split('\n').length).toBeLessThanOrEqual(90)
  expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(5 * 1024)
})

test.each(pages)('%s links only to files inside the repository that exist', (page) => {
  const text = readFileSync(join(repoRoot, page), 'utf8')
  const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '').filter((target) => !/^(https?:|mailto:|#)/.test(target))
  for (const target of targets) {
    const path = resolve(dirname(join(repoRoot, page)), target.split('#')[0] ?? '')
    expect(relative(repoRoot, path).startsWith('..'), `${page} → ${target}`).toBe(false)
    expect(existsSync(path), `${page} → ${target}`).toBe(true)
  }
  expect(text).not.toMatch(/\.\.\/shared\//)
})
