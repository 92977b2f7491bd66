import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ConfigError, resolveConfig, type ResolveConfigOptions } from '../../src/config/index.js'

const dir = mkdtempSync(join(tmpdir(), 'loadspec-config-file-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let fileCount = 0
function writeText(text: string): string {
  const path = join(dir, `file-${++fileCount}.json`)
  writeFileSync(path, text)
  return path
}

function configErrorOf(options: ResolveConfigOptions): ConfigError {
  try {
    resolveConfig({ argv: [], env: {}, cwd: dir, ...options })
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError, but the configuration resolved')
}

describe('config file errors name the file', () => {
  it('not JSON: the parser message with line and column', () => {
    const path = writeText('{ "LoadStrike": {\n  "AgentsCount": 3,\n  "NodeType": "Agent" "x"\n} }')
    const error = configErrorOf({ configFile: path })
    expect(error.issues).toHaveLength(1)
    expect(error.message).toContain(`Config file ${path} is not valid JSON: `)
    expect(error.message).toContain('(line 3, column 23)')
    expect(error.message).toContain('fix the syntax; the layout is { "loadspec": {')
  })

  it('missing: the absolute path, who named it and where relative paths resolve', () => {
    const error = configErrorOf({ env: { LOADSPEC_CONFIG_FILE: 'nope/loadspec.json' } })
    expect(error.issues[0]).toMatchObject({ keyPath: 'ConfigFile', value: 'nope/loadspec.json', source: 'env', sourceDetail: 'LOADSPEC_CONFIG_FILE' })
    expect(error.message).toContain(
      `Config file ${join(dir, 'nope/loadspec.json')} does not exist (from environment LOADSPEC_CONFIG_FILE) — fix the path (relative paths resolve against ${dir}) or create the file`,
    )
  })

  it('missing, named on the command line', () => {
    const error = configErrorOf({ argv: ['--config=absent.json'] })
    expect(error.message).toContain(`Config file ${join(dir, 'absent.json')} does not exist (from command line --config=absent.json)`)
  })

  it('a directory', () => {
    const folder = join(dir, 'a-folder')
    mkdirSync(folder)
    expect(configErrorOf({ configFile: folder }).message).toContain(`Config file ${folder} is a directory, not a JSON file`)
  })

  it('not an object at the top', () => {
    const path = writeText('[{ "LoadStrike": {} }]')
    expect(configErrorOf({ configFile: path }).message).toContain(
      `Config file ${path} must hold a JSON object with a "LoadStrike" or "loadspec" section, got an array`,
    )
  })

  it('keys at the top level instead of inside a section', () => {
    const path = writeText('{ "NodeType": "Agent", "AgentsCount": 2 }')
    expect(configErrorOf({ configFile: path }).message).toContain(
      `Config file ${path} has no "LoadStrike" or "loadspec" section; NodeType, AgentsCount are at the top level — move them into a section`,
    )
  })

  it('both sections', () => {
    const path = writeText('{ "LoadStrike": {}, "loadspec": {} }')
    expect(configErrorOf({ configFile: path }).message).toContain(`Config file ${path} has "LoadStrike" and "loadspec" sections — keep one`)
  })

  it('a section that is not an object', () => {
    const path = writeText('{ "loadspec": "Agent" }')
    expect(configErrorOf({ configFile: path }).message).toContain(`The "loadspec" section of ${path} must be an object of settings, got string "Agent"`)
  })

  it('a config key outside the section', () => {
    const path = writeText('{ "LoadStrike": { "AgentsCount": 2 }, "NodeType": "Agent" }')
    const error = configErrorOf({ configFile: path })
    expect(error.issues).toHaveLength(1)
    expect(error.message).toContain(`Key "NodeType" is at the top level of ${path}, outside the LoadStrike section, and has no effect — move it into the section`)
  })

  it('the same key twice in two spellings', () => {
    const path = writeText('{ "loadspec": { "AgentsCount": 2, "agentsCount": 3 } }')
    expect(configErrorOf({ configFile: path }).message).toContain(`Key "agentsCount" in the loadspec section of ${path} repeats "AgentsCount" — keep one`)
  })

  it('an unknown key with no near miss lists the known keys', () => {
    const path = writeText('{ "loadspec": { "Colour": "blue" } }')
    expect(configErrorOf({ configFile: path }).message).toContain(`Unknown key "Colour" in loadspec section of ${path} — remove it; known keys: NodeType, ClusterId, AgentGroup,`)
  })

  it('an unreadable file does not add rule complaints about keys it would have set', () => {
    const error = configErrorOf({ configFile: 'missing.json', env: { LOADSPEC_NODE_TYPE: 'Agent' } })
    expect(error.issues).toHaveLength(1)
    expect(error.issues[0]?.keyPath).toBe('configFile')
  })

  it('other sources are still checked when the file is broken', () => {
    const error = configErrorOf({ configFile: writeText('{'), argv: ['--AgentsCount=-2'] })
    expect(error.issues.map((issue) => issue.source)).toEqual(['file', 'cli'])
  })
})
