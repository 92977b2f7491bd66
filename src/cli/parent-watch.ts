/**
 * `--exit-with-parent`: a process started by a test runner (the local
 * cluster's agents) ends when that runner is gone, however it went: its
 * stdin pipe closes (the runner's end of it dies with the runner, even on
 * SIGKILL), or it is re-parented (polled). The caller gets the reason to
 * stop gracefully; if that takes longer than `forceExitAfterMs`, the process
 * exits anyway, so nothing outlives the runner by more than ~2 s.
 */
import { fstatSync } from 'node:fs'

export interface ParentWatchOptions {
  readonly pollMs?: number
  readonly forceExitAfterMs?: number
}

/** Calls `onParentGone` once when the parent is gone; returns a function that stops watching. */
export function watchParent(onParentGone: (reason: string) => void, options: ParentWatchOptions = {}): () => void {
  const parentPid = process.ppid
  let gone = false
  const leave = (reason: string): void => {
    if (gone) return
    gone = true
    stop()
    setTimeout(() => process.exit(1), options.forceExitAfterMs ?? 1500).unref()
    onParentGone(reason)
  }
  const poll = setInterval(() => {
    if (process.ppid !== parentPid) leave(`parent process ${parentPid} is gone`)
  }, options.pollMs ?? 250)
  poll.unref()
  const onStdinEnd = (): void => leave(`parent process ${parentPid} closed its pipe`)
  // Only a pipe says anything by closing: /dev/null (stdin 'ignore') ends at once, a terminal never.
  const stdinIsPipe = isPipe(0)
  if (stdinIsPipe) {
    process.stdin.on('end', onStdinEnd).on('error', onStdinEnd).resume()
    // Reading stdin must not keep an agent alive that has stopped for another reason.
    process.stdin.unref?.()
  }
  const stop = (): void => {
    clearInterval(poll)
    if (stdinIsPipe) process.stdin.off('end', onStdinEnd).off('error', onStdinEnd)
  }
  return stop
}

function isPipe(fd: number): boolean {
  try {
    const stat = fstatSync(fd)
    return stat.isFIFO() || stat.isSocket()
  } catch {
    return false
  }
}
