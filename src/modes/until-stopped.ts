/** How long-lived modes (agent, coordinator service) wait to be stopped. */

/**
 * Resolves with the reason once the signal aborts or the process gets
 * SIGINT/SIGTERM (dispose() removes the handlers when something else ended
 * the wait). The handlers are `once`: a second Ctrl-C finds no handler and
 * ends the process the default way, so a stuck shutdown can always be forced.
 */
export function untilStopped(signal: AbortSignal | undefined): { readonly reason: Promise<string>; dispose(): void } {
  let dispose = (): void => {}
  const reason = new Promise<string>((resolve) => {
    const finish = (why: string): void => {
      dispose()
      resolve(why)
    }
    const onSigint = (): void => finish('SIGINT')
    const onSigterm = (): void => finish('SIGTERM')
    const onAbort = (): void => finish(typeof signal?.reason === 'string' ? signal.reason : 'stop signal')
    dispose = () => {
      process.off('SIGINT', onSigint)
      process.off('SIGTERM', onSigterm)
      signal?.removeEventListener('abort', onAbort)
    }
    if (signal?.aborted) return finish('stop signal')
    process.once('SIGINT', onSigint)
    process.once('SIGTERM', onSigterm)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
  return { reason, dispose }
}
