/**
 * A quick TLS check before the NATS client connects. With TLS 1.3 a server
 * that refuses the client's certificate (wrong CA, none given) does so after
 * the handshake looks complete to the client; nats.js then sees a closed
 * socket, retries quietly, and its connect fails only at the connect
 * timeout, as "timeout". The probe does what the client does (read INFO,
 * upgrade to TLS with the same files and checks) and then only listens: the
 * server's session ticket (TLS 1.3) or a completed TLS 1.2 handshake means
 * the certificate was accepted; an alert or a close is the refusal, reported
 * at once with its cause. It sends nothing, so the server logs no failed
 * login for it.
 */
import { readFileSync } from 'node:fs'
import { connect as connectTcp, isIP, type Socket } from 'node:net'
import { connect as connectTls, type ConnectionOptions as TlsConnectionOptions } from 'node:tls'

/** After the handshake, how long a refusal may take to arrive before the certificate counts as accepted. */
const SETTLE_MS = 100
/** TLS 1.3 without a session ticket from the server: how long to wait for a refusal instead. */
const NO_TICKET_WAIT_MS = 400

export interface TlsProbeSettings {
  readonly host: string
  readonly port: number
  readonly caFile?: string
  readonly certFile?: string
  readonly keyFile?: string
  readonly checkServerIdentity?: TlsConnectionOptions['checkServerIdentity']
}

/** The TLS problem, if the server refuses this client over TLS; undefined when it answers (or on anything else: the client will tell). */
export async function probeTls(settings: TlsProbeSettings, timeoutMs: number): Promise<Error | undefined> {
  let socket: Socket | undefined
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      (async () => {
        socket = connectTcp(settings.port, settings.host)
        socket.setNoDelay(true)
        const info = await firstLine(socket)
        if (!/^INFO\s/.test(info) || !/"tls_(required|available)"\s*:\s*true/.test(info)) return undefined
        const secure = connectTls({
          socket,
          // SNI takes host names only; nats.js leaves it empty for IPs too.
          ...(isIP(settings.host) === 0 ? { servername: settings.host } : {}),
          rejectUnauthorized: true,
          ...(settings.caFile === undefined ? {} : { ca: readFileSync(settings.caFile) }),
          ...(settings.certFile === undefined ? {} : { cert: readFileSync(settings.certFile) }),
          ...(settings.keyFile === undefined ? {} : { key: readFileSync(settings.keyFile) }),
          ...(settings.checkServerIdentity === undefined ? {} : { checkServerIdentity: settings.checkServerIdentity }),
        })
        socket = secure
        return await new Promise<Error | undefined>((resolve) => {
          let failure: Error | undefined
          let settling = false
          const accepted = (): void => {
            if (settling) return
            settling = true
            // The server reads this client's last handshake message right after sending its own: give
            // it a moment to refuse, then leave politely (a cut handshake would be logged as an error).
            setTimeout(() => {
              resolve(undefined)
              secure.end()
            }, SETTLE_MS).unref()
          }
          secure.once('secureConnect', () => {
            // TLS 1.2 checks the client's certificate inside the handshake: done means accepted.
            if (secure.getProtocol() !== 'TLSv1.3') accepted()
            // A server that sends no session ticket: its refusal would have come by then.
            else setTimeout(accepted, NO_TICKET_WAIT_MS).unref()
          })
          // TLS 1.3: the server's session tickets come once the handshake is through on its side.
          secure.once('session', accepted)
          secure.on('error', (error) => (failure ??= error))
          secure.once('close', () => resolve(failure ?? new Error('the server closed the TLS connection: it refused this client (its certificate?)')))
        })
      })(),
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs))),
    ])
  } catch {
    // Refused, unreachable, unreadable files: the NATS client reports those itself, in its words.
    return undefined
  } finally {
    clearTimeout(timer)
    // After a polite end() the socket closes by itself; destroy only what is still open.
    if (socket !== undefined && !socket.writableEnded) socket.destroy()
  }
}

/** The server's first protocol line (INFO), at most 64 KB. */
function firstLine(socket: Socket): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let text = ''
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8')
      const end = text.indexOf('\r\n')
      if (end >= 0 || text.length > 65_536) {
        // Nothing more comes before the client speaks: the TLS layer takes the socket from here.
        socket.off('data', onData)
        resolve(end >= 0 ? text.slice(0, end) : text)
      }
    }
    socket.on('data', onData)
    socket.once('error', reject)
    socket.once('close', () => reject(new Error('closed before INFO')))
  })
}
