/**
 * A command in a pseudo-terminal, for the watch-mode e2e tests: a tmux
 * server on a socket of its own (never the user's), one session, its screen
 * read back as text. The command starts under `env -i` with only the given
 * variables, so nothing of this Vitest worker (VITEST_*, CI) reaches it.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export interface Terminal {
  /** The pid of the pane's process: the command itself (it is exec'd). */
  readonly pid: number
  /** What the screen and its scrollback show. */
  screen(): string
  /** Resolves with the first value `probe` returns, polling every 100 ms; the error shows the screen. */
  until<T>(what: string, probe: () => T | undefined, timeoutMs?: number): Promise<T>
  /** Presses `key` every 4 s until the command has exited (a key pressed before a watcher is back at its prompt is lost). */
  pressUntilExit(key: string, timeoutMs?: number): Promise<void>
  close(): void
}

export function openTerminal(name: string, cwd: string, command: string, env: Record<string, string>): Terminal {
  const socket = `loadspec-${name}-${process.pid}`
  const session = 'watch'
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  const assignments = Object.entries(env).map(([variable, value]) => `${variable}='${value}'`).join(' ')
  tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '50', `cd '${cwd}' && exec env -i ${assignments} ${command}`)
  const pid = Number(tmux('display-message', '-p', '-t', session, '#{pane_pid}').trim())
  const screen = (): string => tmux('capture-pane', '-p', '-J', '-S', '-300', '-t', session)
  const until = async <T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const value = probe()
      if (value !== undefined) return value
      if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}; the terminal shows:\n${screen()}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  return {
    pid,
    screen,
    until,
    async pressUntilExit(key, timeoutMs = 30_000) {
      let lastPressMs = 0
      await until(
        'the command to exit',
        () => {
          if (!existsSync(`/proc/${pid}`)) return true
          if (Date.now() - lastPressMs > 4000) {
            lastPressMs = Date.now()
            tmux('send-keys', '-t', session, key)
          }
          return undefined
        },
        timeoutMs,
      )
    },
    close() {
      try {
        tmux('kill-server')
      } catch {
        // Already gone with its only session.
      }
    },
  }
}
