/**
 * Authentication against real nats-servers started with
 * user/password, NKey, a .creds file (operator JWT chain) and TLS with
 * client certificates (a CA made by `openssl` in the test). Token auth is in
 * cluster-nats-transport.test.ts. For each: the right credentials connect
 * and carry messages; wrong ones fail at connect, fast, with a message that
 * names the URL and what to check, never the secret. A whole cluster run
 * with credentials then shows that none reach logs or report files.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { Runner, Simulation } from '../../src/index.js'
import { ClusterError, connectNatsTransport, silentClusterLog, type NatsSettings } from '../../src/cluster/index.js'
import { steady } from '../fixtures/faults-nodes/scenarios.js'
import { startAgentProcess, type NodeProcess } from '../support/cluster-processes.js'
import { startCountingTarget, type CountingTarget } from '../support/faults.js'
import { generateNkeyUser, generateOperatorSetup, generateTls, type NkeyUser, type OperatorSetup, type TlsFiles } from '../support/nats-auth.js'
import { startNatsServer, type NatsServerHandle } from '../support/nats-server.js'

const folder = mkdtempSync(join(tmpdir(), 'loadspec-faults-auth-'))
const servers: NatsServerHandle[] = []
const processes: NodeProcess[] = []

afterAll(async () => {
  await Promise.all(processes.map((process) => process.stop('SIGKILL')))
  await Promise.all(servers.map((server) => server.stop()))
  rmSync(folder, { recursive: true, force: true })
})

async function serverWithConfig(name: string, config: string): Promise<NatsServerHandle> {
  const file = join(folder, `${name}.conf`)
  writeFileSync(file, config)
  const server = await startNatsServer(['-c', file])
  servers.push(server)
  return server
}

/** Connects, sends one message to itself and closes. */
async function roundTrip(settings: NatsSettings): Promise<string> {
  const transport = await connectNatsTransport(settings, { log: silentClusterLog, name: 'auth test' })
  try {
    const received = new Promise<string>((resolve) => transport.subscribe('loadspec.auth.g.x', (payload) => resolve(new TextDecoder().decode(payload))))
    await transport.flush()
    transport.publish('loadspec.auth.g.x', new TextEncoder().encode('hello'))
    return await received
  } finally {
    await transport.close()
  }
}

/** The connect error and how long it took to come. */
async function refused(settings: NatsSettings): Promise<{ error: ClusterError; elapsedMs: number }> {
  const started = performance.now()
  const error = await roundTrip(settings).then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error, 'the connection should have been refused').toBeInstanceOf(ClusterError)
  return { error: error as ClusterError, elapsedMs: performance.now() - started }
}

/** A refusal is a clear ClusterError at connect, well before any timeout (the connect timeout is 5 s). */
function expectClearRefusal(outcome: { error: ClusterError; elapsedMs: number }, url: string, hint: RegExp, secrets: readonly string[]): void {
  expect(outcome.error.code).toBe('connect-failed')
  expect(outcome.error.message).toContain(`Could not connect to NATS at ${url}: `)
  expect(outcome.error.message).toMatch(hint)
  expect(outcome.error.message).not.toMatch(/timeout/i)
  expect(outcome.elapsedMs).toBeLessThan(2000)
  for (const secret of secrets) expect(outcome.error.message).not.toContain(secret)
}

describe('user and password', () => {
  const password = 'pw-3f9c1e7a-user-pass'
  let nats: NatsServerHandle

  beforeAll(async () => {
    nats = await startNatsServer(['--user', 'loadspec', '--pass', password])
    servers.push(nats)
  })

  it('connects with the right pair', async () => {
    expect(await roundTrip({ natsServerUrl: [nats.url], natsUser: 'loadspec', natsPassword: password })).toBe('hello')
  })

  it('refuses a wrong password at connect, saying what to check, and never prints it', async () => {
    const outcome = await refused({ natsServerUrl: [nats.url], natsUser: 'loadspec', natsPassword: 'wrong-password-123' })
    expectClearRefusal(outcome, nats.url, /Authorization Violation \(check NatsToken, NatsUser\/NatsPassword, NatsCredsFile or NatsNkeySeedFile\)/, ['wrong-password-123', password])
  })

  it('masks credentials given in the URL', async () => {
    const url = nats.url.replace('nats://', 'nats://loadspec:wrong-in-url@')
    const outcome = await refused({ natsServerUrl: [url] })
    expectClearRefusal(outcome, nats.url.replace('nats://', 'nats://***@'), /Authorization Violation/, ['wrong-in-url'])
  })
})

describe('NKey', () => {
  let nats: NatsServerHandle
  let user: NkeyUser
  let stranger: NkeyUser

  beforeAll(async () => {
    user = generateNkeyUser(folder, 'agent')
    stranger = generateNkeyUser(folder, 'stranger')
    nats = await serverWithConfig('nkey', `authorization {\n  users = [\n    { nkey: ${user.publicKey} }\n  ]\n}\n`)
  })

  it('connects with the seed file of a known NKey', async () => {
    expect(await roundTrip({ natsServerUrl: [nats.url], natsNkeySeedFile: user.seedFile })).toBe('hello')
  })

  it('refuses an unknown NKey at connect, without printing the seed', async () => {
    const outcome = await refused({ natsServerUrl: [nats.url], natsNkeySeedFile: stranger.seedFile })
    expectClearRefusal(outcome, nats.url, /Authorization Violation \(check .*NatsNkeySeedFile\)/, [stranger.seed, user.seed])
  })

  it('reports a seed file that is not a seed by its key, before connecting', async () => {
    const bogus = join(folder, 'bogus.nk')
    writeFileSync(bogus, 'not a seed\n')
    const { error, elapsedMs } = await refused({ natsServerUrl: [nats.url], natsNkeySeedFile: bogus })
    expect(error.message).toMatch(/^NatsNkeySeedFile \S+bogus\.nk does not hold an NKey seed \(one line starting with "S"/)
    expect(error.message).not.toContain('not a seed')
    expect(elapsedMs).toBeLessThan(100)
  })
})

describe('credentials file (operator / account / user JWTs)', () => {
  let nats: NatsServerHandle
  let setup: OperatorSetup

  beforeAll(async () => {
    setup = generateOperatorSetup(folder)
    nats = await serverWithConfig('operator', setup.serverConfig)
  })

  it('connects with a .creds file of a user the operator trusts', async () => {
    expect(await roundTrip({ natsServerUrl: [nats.url], natsCredsFile: setup.credsFile })).toBe('hello')
  })

  it('refuses a user of an unknown account at connect, without printing the JWT or the seed', async () => {
    const outcome = await refused({ natsServerUrl: [nats.url], natsCredsFile: setup.foreignCredsFile })
    expectClearRefusal(outcome, nats.url, /Authorization Violation \(check .*NatsCredsFile/, [setup.userSeed, setup.userJwt, readFileSync(setup.foreignCredsFile, 'utf8').split('\n')[1] ?? ''])
  })
})

describe('TLS with client certificates', () => {
  let nats: NatsServerHandle
  let tls: TlsFiles
  let url: string

  beforeAll(async () => {
    tls = generateTls(folder)
    nats = await serverWithConfig(
      'tls',
      `tls {\n  cert_file: "${tls.serverCert}"\n  key_file: "${tls.serverKey}"\n  ca_file: "${tls.caCert}"\n  verify: true\n  timeout: 2\n}\n`,
    )
    url = nats.url.replace('nats://', 'tls://')
  })

  it('connects with the CA and a client certificate it signed', async () => {
    expect(await roundTrip({ natsServerUrl: [url], natsTlsCaFile: tls.caCert, natsTlsCertFile: tls.clientCert, natsTlsKeyFile: tls.clientKey })).toBe('hello')
  })

  it('refuses a server certificate it cannot verify (no NatsTlsCaFile), saying what to check', async () => {
    const outcome = await refused({ natsServerUrl: [url], natsTlsCertFile: tls.clientCert, natsTlsKeyFile: tls.clientKey })
    expectClearRefusal(
      outcome,
      url,
      /the server's TLS certificate is not signed by a CA this client trusts \(unable to verify the first certificate\): set NatsTlsCaFile to the CA that signed it/,
      [readFileSync(tls.clientKey, 'utf8')],
    )
  })

  it('is refused with a client certificate of another CA, saying what to check', async () => {
    const outcome = await refused({ natsServerUrl: [url], natsTlsCaFile: tls.caCert, natsTlsCertFile: tls.rogueClientCert, natsTlsKeyFile: tls.rogueClientKey })
    expectClearRefusal(outcome, url, /the server refused this client's TLS certificate \(TLS alert "[a-z ]+"\): NatsTlsCertFile and NatsTlsKeyFile must hold a certificate signed by a CA the server trusts/, [
      readFileSync(tls.rogueClientKey, 'utf8'),
    ])
  })

  it('is refused without a client certificate, saying what to check', async () => {
    const outcome = await refused({ natsServerUrl: [url], natsTlsCaFile: tls.caCert })
    expectClearRefusal(outcome, url, /the server refused this client's TLS certificate \(TLS alert "[a-z ]+"\).*the server may require one/, [])
  })
})

describe('credentials never appear in logs or reports', () => {
  const password = 'pw-91d2c4-never-printed'
  let nats: NatsServerHandle
  let target: CountingTarget
  const reportFolder = join(folder, 'reports')

  beforeAll(async () => {
    ;[nats, target] = await Promise.all([startNatsServer(['--user', 'loadspec', '--pass', password]), startCountingTarget(1)])
    servers.push(nats)
  })

  afterAll(async () => {
    await target?.close()
  })

  it('a cluster run with the password in an environment variable and in a URL prints it nowhere', async () => {
    // One agent gets the password the recommended way (environment), one in its URL (masked everywhere).
    const agentByEnv = startAgentProcess('test/fixtures/faults-nodes/scenarios.ts', [`--NatsServerUrl=${nats.url}`, '--NatsUser=loadspec', '--ClusterId=auth', '--AgentGroup=g'], {
      LOADSPEC_FIXTURE_NODE: 'by-env',
      LOADSPEC_NATS_PASSWORD: password,
      FAULTS_TARGET_URL: target.url,
    })
    const agentByUrl = startAgentProcess('test/fixtures/faults-nodes/scenarios.ts', [`--NatsServerUrl=${nats.url.replace('nats://', `nats://loadspec:${password}@`)}`, '--ClusterId=auth', '--AgentGroup=g'], {
      LOADSPEC_FIXTURE_NODE: 'by-url',
      FAULTS_TARGET_URL: target.url,
    })
    processes.push(agentByEnv, agentByUrl)
    await Promise.all([agentByEnv, agentByUrl].map((agent) => agent.waitFor(/waiting for a coordinator/)))

    const printed: string[] = []
    const capture = (...args: unknown[]): void => void printed.push(args.map(String).join(' '))
    const spies = [vi.spyOn(console, 'log'), vi.spyOn(console, 'info'), vi.spyOn(console, 'warn'), vi.spyOn(console, 'error')].map((spy) => spy.mockImplementation(capture))
    try {
      const result = await Runner.registerScenarios(steady.withLoadSimulations(Simulation.iterationsForConstant(1, 20)))
        .withConfigSources({ argv: [], env: {} })
        .withNodeType('Coordinator')
        .withNatsServerUrl(nats.url.replace('nats://', `nats://loadspec:${password}@`))
        .withConfig({ natsUser: 'loadspec', natsPassword: password })
        .withClusterId('auth')
        .withAgentGroup('g')
        .withAgentsCount(2)
        .withAgentTargetScenarios('steady')
        .withClusterCommandTimeout(10_000)
        .withReportFolder(reportFolder)
        .run()
      expect(result.getScenarioStats('steady').ok.request.count).toBe(40)
      expect(result.reportFiles.length).toBeGreaterThan(0)
      const reports = listFiles(reportFolder).map((file) => readFileSync(file, 'utf8'))
      expect(reports.length).toBeGreaterThan(0)
      for (const text of [...reports, JSON.stringify(result.toJSON()), printed.join('\n'), agentByEnv.output(), agentByUrl.output()]) {
        expect(text).not.toContain(password)
      }
      expect(agentByUrl.output()).toMatch(/on NATS nats:\/\/\*\*\*@127\.0\.0\.1:\d+/)
    } finally {
      for (const spy of spies) spy.mockRestore()
    }
  })
})

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? listFiles(path) : [path]
  })
}
