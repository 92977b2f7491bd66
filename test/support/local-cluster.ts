/**
 * Finds the processes of one local cluster run by its marker (the
 * LOADSPEC_LOCAL_CLUSTER_RUN variable the global setup gives every child:
 * `<vitest pid>-<random>`), never by a process name.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { RUN_MARKER_VARIABLE } from '../../plugin/local-cluster/children.js'
import { startHttpTarget, type HttpTarget } from './http-target.js'

export interface MarkedProcess {
  readonly pid: number
  readonly command: string
}

/** Live processes whose run marker starts with `<vitestPid>-`. */
export function localClusterProcesses(vitestPid: number): MarkedProcess[] {
  const wanted = `${RUN_MARKER_VARIABLE}=${vitestPid}-`
  const found: MarkedProcess[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0')
      if (!environ.some((variable) => variable.startsWith(wanted))) continue
      const status = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // A zombie has exited; only its parent has not collected it yet.
      if (/^\d+ \(.*\) Z /.test(status)) continue
      found.push({ pid: Number(entry), command: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim() })
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return found
}

/** Polls until no process of the run is left; resolves with those still there after `timeoutMs`. */
export async function waitForNoLocalClusterProcesses(vitestPid: number, timeoutMs: number): Promise<MarkedProcess[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const left = localClusterProcesses(vitestPid)
    if (left.length === 0 || Date.now() >= deadline) return left
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** A real HTTP target that counts requests by the `pid` query parameter (the local cluster fixtures send their process id). */
export async function startPidCountingTarget(): Promise<{ readonly target: HttpTarget; readonly requestsByPid: Map<number, number> }> {
  const requestsByPid = new Map<number, number>()
  const target = await startHttpTarget((_number, req) => {
    const pid = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('pid'))
    requestsByPid.set(pid, (requestsByPid.get(pid) ?? 0) + 1)
    return { status: 200, body: 'ok' }
  })
  return { target, requestsByPid }
}
