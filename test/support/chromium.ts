/**
 * A headless Chromium that `npm ci` alone provides: @sparticuz/chromium ships
 * a brotli-packed Chromium inside its npm package (no install script, no apt),
 * and playwright-core drives it. The package unpacks into os.tmpdir()/chromium
 * and trusts whatever it finds there, a half-written file from another process
 * included; so it is unpacked once per version into a staging folder of its
 * own under node_modules/.cache, which is then renamed into place whole.
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sparticuz from '@sparticuz/chromium'
import { chromium, type Browser } from 'playwright-core'
import { repoRoot } from './vitest-cli.js'

/** Switches for a test browser on a machine without a display, a GPU or a user namespace for the sandbox. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync']

export interface LaunchOptions {
  /** The browser's locale comes from LANG, as on a user's machine: `C.UTF-8` makes navigator.language `en-US@posix`. */
  readonly lang: string
}

export async function launchChromium(options: LaunchOptions): Promise<Browser> {
  const folder = await unpackedChromium()
  return chromium.launch({
    executablePath: join(folder, 'chromium'),
    args: CHROMIUM_ARGS,
    headless: true,
    env: { ...inheritedEnv(), LANG: options.lang, LC_ALL: options.lang, FONTCONFIG_FILE: join(folder, 'fonts.conf') },
  })
}

/** The folder holding the unpacked `chromium`, its SwiftShader libraries and fonts. */
export async function unpackedChromium(): Promise<string> {
  const cache = join(repoRoot, 'node_modules/.cache/loadspec-chromium')
  const folder = join(cache, packageVersion())
  if (existsSync(join(folder, 'chromium'))) return folder
  await mkdir(cache, { recursive: true })
  const staging = await mkdtemp(join(cache, 'staging-'))
  try {
    // executablePath() reads os.tmpdir() synchronously, before its first await: TMPDIR is ours only for that moment.
    const previous = process.env['TMPDIR']
    process.env['TMPDIR'] = staging
    const unpacking = sparticuz.executablePath()
    if (previous === undefined) delete process.env['TMPDIR']
    else process.env['TMPDIR'] = previous
    await unpacking
    await writeFile(join(staging, 'fonts.conf'), fontsConfig(join(folder, 'fonts')))
    await rename(staging, folder)
  } catch (error) {
    await rm(staging, { recursive: true, force: true })
    // Another process unpacked the same version first: use its copy.
    if (existsSync(join(folder, 'chromium'))) return folder
    throw error
  }
  return folder
}

function packageVersion(): string {
  // The package's exports do not include its package.json.
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'node_modules/@sparticuz/chromium/package.json'), 'utf8')) as { version: string }
  return manifest.version
}

/** The package's own fonts.conf names /tmp/fonts; this one names the fonts unpacked here, and the system's. */
function fontsConfig(fontsFolder: string): string {
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${fontsFolder}</dir>
</fontconfig>
`
}

function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !/^(LANG|LC_[A-Z]+|LANGUAGE)$/.test(name)) env[name] = value
  return env
}
