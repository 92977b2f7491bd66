/**
 * Cluster logging: the cluster talks about peers and messages, not about
 * requests, so it has its own small logger next to the scenario logger.
 * Warnings about dropped messages go through `warnOnce`, so a hostile or
 * chatty peer costs one line per kind of problem, not one per message.
 */

export interface ClusterLog {
  info(message: string): void
  warn(message: string): void
  /** Shown only with LOADSPEC_DEBUG set. */
  debug(message: string): void
}

/** Logs to the console; `quiet` turns info lines into debug lines (the local dev cluster has no one to tell). */
export function consoleClusterLog(prefix: string, options: { quiet?: boolean } = {}): ClusterLog {
  const debug = (message: string): void => {
    if (process.env.LOADSPEC_DEBUG !== undefined) console.debug(`[${prefix}] ${message}`)
  }
  return {
    info: options.quiet === true ? debug : (message) => console.info(`[${prefix}] ${message}`),
    warn: (message) => console.warn(`[${prefix}] ${message}`),
    debug,
  }
}

export const silentClusterLog: ClusterLog = { info: () => {}, warn: () => {}, debug: () => {} }

/** Logs a warning the first time a key is seen; later ones go to debug. */
export class WarnOnce {
  private readonly seen = new Set<string>()

  constructor(private readonly log: ClusterLog) {}

  warn(key: string, message: string): void {
    if (this.seen.has(key)) {
      this.log.debug(message)
      return
    }
    this.seen.add(key)
    this.log.warn(`${message} (further ones like it are not logged)`)
  }
}
