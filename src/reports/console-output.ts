/**
 * What a run prints on stdout by itself. Live progress redraws lines in
 * place, which only works on a terminal, and only helps a person watching:
 * it stays off in CI, in pipes and inside a test runner (whose reporter owns
 * the terminal). The summary is plain lines, welcome in a CI log too, but a
 * test runner shows results its own way (matcher messages, its reporter).
 */
export interface ConsoleOutput {
  readonly progress: boolean
  readonly summary: boolean
}

export interface ConsoleTarget {
  readonly isTTY?: boolean
}

export function consoleOutputFor(stdout: ConsoleTarget, env: Record<string, string | undefined>): ConsoleOutput {
  const inTestRunner = env['VITEST'] !== undefined || env['JEST_WORKER_ID'] !== undefined
  const terminal = stdout.isTTY === true && env['TERM'] !== 'dumb'
  return { summary: !inTestRunner, progress: !inTestRunner && terminal && !isSet(env['CI']) }
}

/** CI=true, CI=1 and GitHub's CI=true count; CI=false or CI=0 (set to turn it off) does not. */
function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false'
}
