/**
 * NATS connect errors are told apart by nats.js's own error classes first
 * (@nats-io/nats-core's AuthorizationError, ConnectionError, TimeoutError, …);
 * the words of a message matter only where there is no class to go by (TLS
 * and socket errors). The messages real servers produce are checked in
 * faults-auth.test.ts and cluster-nats-transport.test.ts.
 */
import { AuthorizationError, ConnectionError, PermissionViolationError, TimeoutError, UserAuthenticationExpiredError } from '@nats-io/transport-node'
import { describe, expect, it } from 'vitest'
import { describeConnectError } from '../../src/cluster/transport/nats.js'

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })

describe('describeConnectError', () => {
  it('goes by the error class, whatever the message says', () => {
    expect(describeConnectError(new AuthorizationError('Account Expired'))).toBe('Account Expired (check NatsToken, NatsUser/NatsPassword, NatsCredsFile or NatsNkeySeedFile)')
    expect(describeConnectError(new UserAuthenticationExpiredError('user expired'))).toMatch(/\(check NatsToken/)
    expect(describeConnectError(new PermissionViolationError('not allowed', 'publish', 'x'))).toMatch(/\(check NatsToken/)
    expect(describeConnectError(new TimeoutError())).toBe('timeout (no answer in time: check the host, port and firewall)')
    // nats.js wraps the socket's error: its code is on the cause.
    expect(describeConnectError(new ConnectionError('socket closed', { cause: refused }))).toBe(
      'socket closed (nothing listens there: is nats-server running on that host and port?)',
    )
  })

  it('falls back to the words for errors without a class: sockets and TLS', () => {
    expect(describeConnectError(refused)).toMatch(/\(nothing listens there/)
    expect(describeConnectError(new Error('unable to verify the first certificate'))).toMatch(/^the server's TLS certificate is not signed by a CA this client trusts/)
    expect(describeConnectError(new Error('something else'))).toBe('something else')
  })

  it('masks credentials in the message', () => {
    expect(describeConnectError(new ConnectionError('cannot reach nats://user:secret@127.0.0.1:4222'))).not.toContain('secret')
  })
})
