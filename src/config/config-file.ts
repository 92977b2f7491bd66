/**
 * The JSON config file, in LoadStrike's layout (its cluster settings under
 * one section): `{ "LoadStrike": { ... } }` or `{ "loadspec": { ... } }`,
 * keys in PascalCase (any spelling accepted), so a LoadStrike config file
 * works unchanged.
 * Unlike argv and the environment, everything in the section is meant for
 * loadspec, so every unknown key is an error.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describeOrigin, displayValue, type ConfigIssue } from './errors.js'
import { configKeys, suggestKey, toCamelCaseKey, type ConfigKey } from './keys.js'
import type { ConfigFileRef, SourceReading, SourcedValue } from './sources.js'

export interface ConfigFileReading extends SourceReading {
  /** False when the file could not be used at all (missing, not JSON, no section). */
  readonly loaded: boolean
  readonly absolutePath: string
}

export function readConfigFile(ref: ConfigFileRef, cwd: string): ConfigFileReading {
  const absolutePath = resolve(cwd, ref.path)
  const failed = (issue: ConfigIssue): ConfigFileReading => ({ values: [], issues: [issue], loaded: false, absolutePath })

  const read = readText(absolutePath)
  if ('error' in read) return failed(unreadable(ref, absolutePath, cwd, read.error))
  const parsed = parseJson(read.text)
  if ('error' in parsed) return failed(fileIssue(absolutePath, 'valid JSON', `Config file ${absolutePath} is not valid JSON: ${parsed.error} — fix the syntax; the layout is ${LAYOUT}`))

  const document = parsed.value
  if (!isPlainObject(document)) {
    return failed(fileIssue(absolutePath, 'a JSON object', `Config file ${absolutePath} must hold a JSON object with a "LoadStrike" or "loadspec" section, got ${describeJsonType(document)} — use ${LAYOUT}`))
  }
  const sectionNames = Object.keys(document).filter((name) => SECTION_NAME.test(name))
  const misplaced = Object.keys(document).filter((name) => !SECTION_NAME.test(name) && toCamelCaseKey(name) !== undefined)
  if (sectionNames.length === 0) {
    const found = misplaced.length > 0 ? `; ${misplaced.join(', ')} ${misplaced.length === 1 ? 'is' : 'are'} at the top level — move ${misplaced.length === 1 ? 'it' : 'them'} into a section` : ''
    return failed(fileIssue(absolutePath, 'a "LoadStrike" or "loadspec" section', `Config file ${absolutePath} has no "LoadStrike" or "loadspec" section${found}; the layout is ${LAYOUT}`))
  }
  if (sectionNames.length > 1) {
    return failed(fileIssue(absolutePath, 'one section', `Config file ${absolutePath} has ${sectionNames.map((n) => `"${n}"`).join(' and ')} sections — keep one`))
  }
  const sectionName = sectionNames[0] as string
  const section = document[sectionName]
  if (!isPlainObject(section)) {
    return failed(fileIssue(absolutePath, 'an object of settings', `The "${sectionName}" section of ${absolutePath} must be an object of settings, got ${describeJsonType(section)} — use ${LAYOUT}`))
  }

  const issues = misplaced.map((name) => misplacedKey(absolutePath, sectionName, name))
  const values: SourcedValue[] = []
  const seen = new Map<ConfigKey, string>()
  for (const [name, value] of Object.entries(section)) {
    const key = toCamelCaseKey(name)
    if (!key) {
      issues.push(unknownKey(absolutePath, sectionName, name))
      continue
    }
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      issues.push(fileIssue(absolutePath, 'each key once', `Key "${name}" in the ${sectionName} section of ${absolutePath} repeats "${earlier}" — keep one`, `${sectionName}.${name}`))
      continue
    }
    seen.set(key, name)
    // null reads as "not set", the way JSON writers usually mean it.
    if (value === null) continue
    values.push({ key, value, origin: { source: 'file', keyPath: `${sectionName}.${name}`, sourceDetail: absolutePath } })
  }
  return { values, issues, loaded: true, absolutePath }
}

const SECTION_NAME = /^(loadstrike|loadspec)$/i
const LAYOUT = '{ "loadspec": { "NodeType": "Single", "AgentsCount": 1, ... } }'

function readText(path: string): { text: string } | { error: NodeJS.ErrnoException } {
  try {
    // A BOM is what some Windows editors write first; JSON.parse rejects it.
    return { text: readFileSync(path, 'utf8').replace(/^\uFEFF/, '') }
  } catch (error) {
    return { error: error as NodeJS.ErrnoException }
  }
}

function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) as unknown }
  } catch (error) {
    return { error: withLineAndColumn(text, (error as Error).message) }
  }
}

/** V8 reports a character offset; people look for a line and a column. */
function withLineAndColumn(text: string, message: string): string {
  const position = /at position (\d+)/.exec(message)?.[1]
  if (position === undefined || /line \d+/.test(message)) return message
  const before = text.slice(0, Number(position))
  const line = before.split('\n').length
  const column = Number(position) - before.lastIndexOf('\n')
  return `${message} (line ${line}, column ${column})`
}

function unreadable(ref: ConfigFileRef, absolutePath: string, cwd: string, error: NodeJS.ErrnoException): ConfigIssue {
  const named = describeOrigin(ref.origin)
  const why =
    error.code === 'ENOENT' ? `does not exist (${named}) — fix the path (relative paths resolve against ${cwd}) or create the file`
      : error.code === 'EISDIR' ? `is a directory, not a JSON file (${named}) — name the file itself`
        : `cannot be read: ${error.message} (${named})`
  return {
    keyPath: ref.origin.keyPath,
    value: ref.path,
    source: ref.origin.source,
    ...(ref.origin.sourceDetail !== undefined && { sourceDetail: ref.origin.sourceDetail }),
    expected: 'a readable JSON file',
    message: `Config file ${absolutePath} ${why}`,
  }
}

function unknownKey(path: string, sectionName: string, name: string): ConfigIssue {
  const suggestion = suggestKey(name)
  const advice = suggestion && suggestion !== 'configFile'
    ? `did you mean "${configKeys.find((info) => info.camel === suggestion)?.pascal}"?`
    : `remove it; known keys: ${configKeys.map((info) => info.pascal).join(', ')}`
  // The value is not shown: an unknown key may be a misspelt secret.
  return fileIssue(path, 'a known key', `Unknown key "${name}" in ${sectionName} section of ${path} — ${advice}`, `${sectionName}.${name}`)
}

function misplacedKey(path: string, sectionName: string, name: string): ConfigIssue {
  return fileIssue(path, `inside the ${sectionName} section`, `Key "${name}" is at the top level of ${path}, outside the ${sectionName} section, and has no effect — move it into the section`, name)
}

function fileIssue(path: string, expected: string, message: string, keyPath = ''): ConfigIssue {
  return { keyPath, value: undefined, source: 'file', sourceDetail: path, expected, message }
}

function describeJsonType(value: unknown): string {
  if (Array.isArray(value)) return 'an array'
  if (value === null) return 'null'
  if (typeof value === 'object') return 'an object'
  return `${typeof value} ${displayValue(value)}`
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
