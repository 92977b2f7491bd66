/**
 * npm, run from a test to build a clean project elsewhere: only the
 * ordinary client and the registry it is configured with.
 */
import { runProcess, type ProcessResult } from './vitest-cli.js'

/**
 * `npm <args>` in `cwd`. Variables npm sets for the script running this
 * test (`npm_config_local_prefix`, `npm_package_*`, …) are dropped: a nested
 * install would otherwise take the repository for its project.
 */
export function runNpm(args: readonly string[], cwd: string, timeoutMs = 300_000): Promise<ProcessResult> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !NPM_SCRIPT_VARIABLE.test(name)) env[name] = value
  }
  return runProcess(args, { cwd, command: 'npm', env: { ...env, npm_config_update_notifier: 'false' }, timeoutMs })
}

const NPM_SCRIPT_VARIABLE = /^(npm_package_|npm_lifecycle_|npm_command$|INIT_CWD$|npm_config_(local_prefix|call|yes|global|workspace|workspaces|include_workspace_root)$)/i

/** Error codes of an npm that cannot reach its registry (DNS, refused, offline, timed out). */
const UNREACHABLE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ERR_SOCKET_TIMEOUT)\b|network request .* failed|request to .* failed/i

/**
 * Asks the registry which version `spec` resolves to. Returns the version,
 * or `{ unreachable }` with npm's words when the registry cannot be
 * reached; any other failure throws, so a broken setup is never taken for
 * "offline".
 */
export async function resolveFromRegistry(spec: string): Promise<{ readonly version: string } | { readonly unreachable: string }> {
  // One attempt, bounded: npm's default retries take over a minute to give up on a dead registry.
  const run = await runNpm(['view', spec, 'version', '--json', '--fetch-retries=0', '--fetch-timeout=30000'], process.cwd(), 120_000)
  if (run.exitCode !== 0) {
    if (UNREACHABLE.test(run.output)) return { unreachable: errorSummary(run.output) }
    throw new Error(`npm view ${spec} failed (exit ${run.exitCode}):\n${run.output}`)
  }
  const parsed: unknown = JSON.parse(run.stdout)
  const versions = Array.isArray(parsed) ? parsed : [parsed]
  const last: unknown = versions[versions.length - 1]
  if (typeof last !== 'string') throw new Error(`npm view ${spec} returned no version: ${run.stdout}`)
  return { version: last }
}

/** npm --json errors come as `{"error": {"summary": …}}`; anything else is shown as it is, on one line. */
function errorSummary(output: string): string {
  const match = /"summary":\s*("(?:[^"\\]|\\.)*")/.exec(output)
  const summary = match?.[1] === undefined ? undefined : (JSON.parse(match[1]) as string)
  return summary ?? output.replace(/\s+/g, ' ').trim().slice(0, 300)
}
