/**
 * The NATS connection options loadspec builds from its config keys, for the
 * failure cases: credentials written into URLs (nats.js 3 ignores them, so
 * loadspec lifts them out), key files that are not what their key says,
 * TLS server identity for IP URLs, and the deadline checks that bound
 * how late a silent peer is noticed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PeerCertificate } from 'node:tls'
import { nkeys } from '@nats-io/transport-node'
import { afterAll, describe, expect, it } from 'vitest'
import { ClusterError, natsConnectionOptions } from '../../src/cluster/index.js'
import { runDeadlineChecks } from '../../src/cluster/liveness.js'
import { serverIdentityCheck } from '../../src/cluster/transport/nats-options.js'

const defaults = { name: 'test', connectTimeoutMs: 1000 }
const folder = mkdtempSync(join(tmpdir(), 'loadspec-nats-options-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

function failure(run: () => unknown): ClusterError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ClusterError)
    return error as ClusterError
  }
  throw new Error('expected a ClusterError')
}

describe('pings tied to AgentLostTimeoutMs', () => {
  it('pings every AgentLostTimeoutMs / 5 with two pings outstanding at most, so a hung broker is known stale within 0.6 × AgentLostTimeoutMs', () => {
    expect(natsConnectionOptions({ natsServerUrl: ['nats://h:4222'] }, defaults)).toMatchObject({ pingInterval: 1000, maxPingOut: 2 })
    expect(natsConnectionOptions({ natsServerUrl: ['nats://h:4222'], agentLostTimeoutMs: 1500 }, defaults)).toMatchObject({ pingInterval: 300, maxPingOut: 2 })
  })
})

describe('credentials in NatsServerUrl', () => {
  it('takes user and password out of the URL (percent-decoded), which nats.js would ignore', () => {
    const options = natsConnectionOptions({ natsServerUrl: ['nats://agent:p%40ss%3Aword@10.0.0.5:4222'] }, defaults)
    expect(options.servers).toEqual(['nats://10.0.0.5:4222'])
    expect(options.user).toBe('agent')
    expect(options.pass).toBe('p@ss:word')
    expect(options.token).toBeUndefined()
  })

  it('takes a token out of the URL', () => {
    const options = natsConnectionOptions({ natsServerUrl: ['tls://s3cret@nats.example:4443'] }, defaults)
    expect(options.servers).toEqual(['tls://nats.example:4443'])
    expect(options.token).toBe('s3cret')
  })

  it('lets NatsUser/NatsPassword and NatsToken win over the URL', () => {
    const options = natsConnectionOptions({ natsServerUrl: ['nats://a:b@h:4222'], natsUser: 'explicit', natsPassword: 'pw', natsToken: 't' }, defaults)
    expect([options.user, options.pass, options.token]).toEqual(['explicit', 'pw', 't'])
  })

  it('refuses URLs that carry different credentials, without printing them', () => {
    const error = failure(() => natsConnectionOptions({ natsServerUrl: ['nats://a:one@h1:4222', 'nats://a:two@h2:4222'] }, defaults))
    expect(error.message).toBe('NatsServerUrl entries carry different credentials (user info before "@"); give them once, in NatsUser/NatsPassword or NatsToken')
  })

  it('keeps URLs without credentials as they are', () => {
    expect(natsConnectionOptions({ natsServerUrl: ['nats://127.0.0.1:4222', 'nats://[::1]:4223'] }, defaults).servers).toEqual(['nats://127.0.0.1:4222', 'nats://[::1]:4223'])
  })
})

describe('key files', () => {
  it('reads an NKey seed file, skipping blank and comment lines', () => {
    const seed = new TextDecoder().decode(nkeys.createUser().getSeed())
    const file = join(folder, 'ok.nk')
    writeFileSync(file, `# agent-1\n\n${seed}\n`)
    expect(natsConnectionOptions({ natsServerUrl: ['nats://h:4222'], natsNkeySeedFile: file }, defaults).authenticator).toBeDefined()
  })

  it('refuses an NKey seed file without a seed, naming the key and never the content', () => {
    const file = join(folder, 'bad.nk')
    writeFileSync(file, 'SUANOTASEEDATALLSECRETSAUCE\n')
    const error = failure(() => natsConnectionOptions({ natsServerUrl: ['nats://h:4222'], natsNkeySeedFile: file }, defaults))
    expect(error.message).toBe(`NatsNkeySeedFile ${file} does not hold an NKey seed (one line starting with "S", e.g. "SU..." for a user, as nk or nsc write it)`)
    expect(error.message).not.toContain('SECRET')
  })

  it('refuses a credentials file that is not one', () => {
    const file = join(folder, 'bad.creds')
    writeFileSync(file, 'user=agent\npassword=hunter2\n')
    const error = failure(() => natsConnectionOptions({ natsServerUrl: ['nats://h:4222'], natsCredsFile: file }, defaults))
    expect(error.message).toMatch(/^NatsCredsFile \S+bad\.creds is not a NATS credentials file/)
    expect(error.message).not.toContain('hunter2')
  })
})

describe('TLS server identity for URLs that name an IP', () => {
  // nats.js upgrades to TLS without a host name for IP URLs; Node then checks the certificate against "localhost".
  const forIp = { subject: { CN: 'nats' }, subjectaltname: 'IP Address:10.0.0.5' } as unknown as PeerCertificate
  const forLocalhost = { subject: { CN: 'localhost' }, subjectaltname: 'DNS:localhost' } as unknown as PeerCertificate

  it('accepts a certificate made for the IP of a configured URL', () => {
    expect(serverIdentityCheck(['tls://10.0.0.5:4222'])('localhost', forIp)).toBeUndefined()
  })

  it('refuses a certificate made for another IP, saying so for that IP', () => {
    const error = serverIdentityCheck(['tls://10.0.0.6:4222'])('localhost', forIp)
    expect(error?.message).toContain("IP: 10.0.0.6 is not in the cert's list: 10.0.0.5")
  })

  it('checks host names as Node does', () => {
    expect(serverIdentityCheck(['tls://localhost:4222'])('localhost', forLocalhost)).toBeUndefined()
    expect(serverIdentityCheck(['tls://nats.example:4222'])('nats.example', forIp)).toBeInstanceOf(Error)
  })
})

describe('deadline checks', () => {
  it('run when the returned deadline falls due, not on a polling grid', async () => {
    const started = performance.now()
    const runs: number[] = []
    const checks = runDeadlineChecks(() => {
      runs.push(performance.now() - started)
      return runs.length < 3 ? performance.now() + 60 : undefined
    }, 10_000)
    await new Promise((resolve) => setTimeout(resolve, 250))
    checks.stop()
    expect(runs).toHaveLength(3)
    expect(runs[1]).toBeGreaterThanOrEqual(60)
    expect(runs[1]).toBeLessThan(60 + 40)
    expect(runs[2]).toBeGreaterThanOrEqual(120)
  })

  it('look again at least every maxWaitMs when there is no deadline, and stop for good', async () => {
    let runs = 0
    const checks = runDeadlineChecks(() => {
      runs++
      return undefined
    }, 30)
    await new Promise((resolve) => setTimeout(resolve, 110))
    checks.stop()
    const seen = runs
    expect(seen).toBeGreaterThanOrEqual(3)
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(runs).toBe(seen)
  })
})
