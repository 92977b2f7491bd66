/**
 * Credentials for nats-server auth tests, generated per test run into a
 * temporary folder: a CA with server and client certificates (and a rogue
 * CA with a client certificate the server must refuse) made with `openssl`;
 * NKey users; and an operator / account / user JWT chain with a .creds file,
 * signed with the NKeys that @nats-io/transport-node re-exports.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { nkeys } from '@nats-io/transport-node'

type KeyPair = ReturnType<typeof nkeys.createUser>

export interface TlsFiles {
  readonly caCert: string
  readonly serverCert: string
  readonly serverKey: string
  readonly clientCert: string
  readonly clientKey: string
  /** Signed by a CA the server does not trust. */
  readonly rogueClientCert: string
  readonly rogueClientKey: string
}

/** A CA, a server certificate for 127.0.0.1, and client certificates (good and rogue). EC keys: fast to make. */
export function generateTls(dir: string): TlsFiles {
  const path = (name: string): string => join(dir, name)
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  }
  const newKey = (name: string): void => openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', path(name))
  const selfSignedCa = (key: string, cert: string, cn: string): void => {
    newKey(key)
    openssl('req', '-x509', '-new', '-key', path(key), '-out', path(cert), '-days', '2', '-subj', `/CN=${cn}`)
  }
  const signed = (key: string, cert: string, cn: string, caKey: string, caCert: string, extensions: string): void => {
    newKey(key)
    openssl('req', '-new', '-key', path(key), '-out', path(`${cert}.csr`), '-subj', `/CN=${cn}`)
    writeFileSync(path(`${cert}.ext`), extensions)
    openssl('x509', '-req', '-in', path(`${cert}.csr`), '-CA', path(caCert), '-CAkey', path(caKey), '-CAcreateserial', '-out', path(cert), '-days', '2', '-extfile', path(`${cert}.ext`))
  }
  selfSignedCa('ca.key', 'ca.pem', 'loadspec test CA')
  signed('server.key', 'server.pem', '127.0.0.1', 'ca.key', 'ca.pem', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n')
  signed('client.key', 'client.pem', 'loadspec-agent', 'ca.key', 'ca.pem', 'extendedKeyUsage=clientAuth\n')
  selfSignedCa('rogue-ca.key', 'rogue-ca.pem', 'rogue CA')
  signed('rogue-client.key', 'rogue-client.pem', 'loadspec-agent', 'rogue-ca.key', 'rogue-ca.pem', 'extendedKeyUsage=clientAuth\n')
  return {
    caCert: path('ca.pem'),
    serverCert: path('server.pem'),
    serverKey: path('server.key'),
    clientCert: path('client.pem'),
    clientKey: path('client.key'),
    rogueClientCert: path('rogue-client.pem'),
    rogueClientKey: path('rogue-client.key'),
  }
}

export interface NkeyUser {
  readonly publicKey: string
  readonly seed: string
  readonly seedFile: string
}

export function generateNkeyUser(dir: string, name: string): NkeyUser {
  const user = nkeys.createUser()
  const seed = new TextDecoder().decode(user.getSeed())
  const seedFile = join(dir, `${name}.nk`)
  writeFileSync(seedFile, `${seed}\n`, { mode: 0o600 })
  return { publicKey: user.getPublicKey(), seed, seedFile }
}

export interface OperatorSetup {
  /** nats-server configuration: trust the operator, preload the account. */
  readonly serverConfig: string
  readonly credsFile: string
  /** The creds file's secret parts, to check they are never printed. */
  readonly userSeed: string
  readonly userJwt: string
  /** A user of an account the server does not know. */
  readonly foreignCredsFile: string
}

/**
 * The decentralized-auth chain nats-server 2.9 accepts with `resolver: MEMORY`:
 * an operator JWT, one account JWT preloaded, and a user JWT in a .creds file.
 */
export function generateOperatorSetup(dir: string): OperatorSetup {
  const operator = nkeys.createOperator()
  const account = nkeys.createAccount()
  const user = nkeys.createUser()
  // Without explicit limits an account JWT means "0 connections", so every limit is -1 (none).
  const noLimits = { subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 }
  const operatorJwt = signJwt(operator, operator.getPublicKey(), 'loadspec-test-operator', { type: 'operator', version: 2 })
  const accountJwt = signJwt(operator, account.getPublicKey(), 'loadspec-test-account', {
    limits: noLimits,
    default_permissions: { pub: {}, sub: {} },
    type: 'account',
    version: 2,
  })
  const userJwt = signJwt(account, user.getPublicKey(), 'loadspec-agent', { pub: {}, sub: {}, subs: -1, data: -1, payload: -1, type: 'user', version: 2 })
  const userSeed = new TextDecoder().decode(user.getSeed())
  const credsFile = join(dir, 'agent.creds')
  writeFileSync(credsFile, credsText(userJwt, userSeed), { mode: 0o600 })

  // Same shape, signed by an account the operator never issued.
  const strangerAccount = nkeys.createAccount()
  const stranger = nkeys.createUser()
  const strangerJwt = signJwt(strangerAccount, stranger.getPublicKey(), 'stranger', { pub: {}, sub: {}, subs: -1, data: -1, payload: -1, type: 'user', version: 2 })
  const foreignCredsFile = join(dir, 'stranger.creds')
  writeFileSync(foreignCredsFile, credsText(strangerJwt, new TextDecoder().decode(stranger.getSeed())), { mode: 0o600 })

  const serverConfig = `operator: ${operatorJwt}\nresolver: MEMORY\nresolver_preload: {\n  ${account.getPublicKey()}: ${accountJwt}\n}\n`
  return { serverConfig, credsFile, userSeed, userJwt, foreignCredsFile }
}

/** A NATS JWT (header alg ed25519-nkey), signed by `issuer`. */
function signJwt(issuer: KeyPair, subject: string, name: string, nats: Record<string, unknown>): string {
  const claims: Record<string, unknown> = { jti: '', iat: Math.floor(Date.now() / 1000), iss: issuer.getPublicKey(), name, sub: subject, nats }
  // The claim id: a hash of the claims, base32-ish (the server does not recompute it).
  claims.jti = createHash('sha256').update(JSON.stringify(claims)).digest('hex').toUpperCase()
  const signingInput = `${base64url(JSON.stringify({ typ: 'JWT', alg: 'ed25519-nkey' }))}.${base64url(JSON.stringify(claims))}`
  return `${signingInput}.${base64url(issuer.sign(new TextEncoder().encode(signingInput)))}`
}

function base64url(data: string | Uint8Array): string {
  return Buffer.from(data).toString('base64url')
}

function credsText(jwt: string, seed: string): string {
  return [
    '-----BEGIN NATS USER JWT-----',
    jwt,
    '------END NATS USER JWT------',
    '',
    '************************* IMPORTANT *************************',
    'NKEY Seed printed below can be used to sign and prove identity.',
    'NKEYs are sensitive and should be treated as secrets.',
    '',
    '-----BEGIN USER NKEY SEED-----',
    seed,
    '------END USER NKEY SEED------',
    '',
  ].join('\n')
}
