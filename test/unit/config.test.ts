import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  CONFIG_KEY_NAMES,
  configFileOption,
  configKeys,
  resolveConfig,
  toCamelCaseKey,
  type LoadspecConfig,
  type ResolveConfigOptions,
} from '../../src/config/index.js'

const dir = mkdtempSync(join(tmpdir(), 'loadspec-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let fileCount = 0
function writeConfig(content: unknown): string {
  const path = join(dir, `config-${++fileCount}.json`)
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2))
  return path
}

/** Only what the test passes: never the test process's own argv or environment. */
function resolveOnly(options: ResolveConfigOptions = {}): LoadspecConfig {
  return resolveConfig({ argv: [], env: {}, cwd: dir, ...options })
}

const DEFAULTS: LoadspecConfig = {
  nodeType: 'Single',
  clusterId: 'loadspec',
  agentGroup: 'default',
  agentsCount: 1,
  targetScenarios: [],
  agentTargetScenarios: [],
  coordinatorTargetScenarios: [],
  clusterCommandTimeoutMs: 120_000,
  enableLocalDevCluster: false,
  reportFolder: 'load-reports',
  reportFormats: ['html', 'json', 'md', 'txt', 'csv'],
  reportsEnabled: true,
  heartbeatIntervalMs: 1000,
  agentLostTimeoutMs: 5000,
  allowCodeMismatch: false,
}

// Exactly the seed config from DESIGN.md ("Configuration").
const SEED_JSON = `{ "LoadStrike": { "NodeType": "Coordinator", "ClusterId": "orders-cluster",
  "AgentGroup": "perf-agents", "AgentsCount": 3, "NatsServerUrl": "nats://localhost:4222",
  "TargetScenarios": "http-source,kafka-consumer", "AgentTargetScenarios": "kafka-consumer",
  "CoordinatorTargetScenarios": "http-source", "ClusterCommandTimeoutMs": 120000,
  "EnableLocalDevCluster": false } }`

const SEED_RESOLVED: LoadspecConfig = {
  ...DEFAULTS,
  nodeType: 'Coordinator',
  clusterId: 'orders-cluster',
  agentGroup: 'perf-agents',
  agentsCount: 3,
  natsServerUrl: ['nats://localhost:4222'],
  targetScenarios: ['http-source', 'kafka-consumer'],
  agentTargetScenarios: ['kafka-consumer'],
  coordinatorTargetScenarios: ['http-source'],
  clusterCommandTimeoutMs: 120_000,
  enableLocalDevCluster: false,
}

describe('resolveConfig: the JSON file', () => {
  it('gives every default when nothing is set', () => {
    expect(resolveOnly()).toEqual(DEFAULTS)
  })

  it('loads the seed config of DESIGN.md unchanged', () => {
    expect(resolveOnly({ configFile: writeConfig(SEED_JSON) })).toEqual(SEED_RESOLVED)
  })

  it('accepts a "loadspec" section with the same keys', () => {
    const path = writeConfig(SEED_JSON.replace('"LoadStrike"', '"loadspec"'))
    expect(resolveOnly({ configFile: path })).toEqual(SEED_RESOLVED)
  })

  it('accepts camelCase keys and treats null as not set', () => {
    const path = writeConfig({ loadspec: { nodeType: 'agent', natsServerUrl: 'nats://nats:4222', clusterId: null } })
    expect(resolveOnly({ configFile: path })).toMatchObject({ nodeType: 'Agent', natsServerUrl: ['nats://nats:4222'], clusterId: 'loadspec' })
  })

  it('finds the file through --config=, --ConfigFile= and LOADSPEC_CONFIG_FILE, relative to cwd', () => {
    const path = writeConfig({ loadspec: { ClusterId: 'from-file' } })
    const name = path.slice(dir.length + 1)
    expect(resolveOnly({ argv: [`--config=${name}`] }).clusterId).toBe('from-file')
    expect(resolveOnly({ argv: [`--ConfigFile=${name}`] }).clusterId).toBe('from-file')
    expect(resolveOnly({ env: { LOADSPEC_CONFIG_FILE: name } }).clusterId).toBe('from-file')
    expect(resolveOnly({ builder: { configFile: name } }).clusterId).toBe('from-file')
  })

  it('takes the file named on the command line, then LOADSPEC_CONFIG_FILE, then loadConfig(path), then builder.configFile', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id) => writeConfig({ loadspec: { ClusterId: id } }))
    const all = { argv: [`--config=${a}`], env: { LOADSPEC_CONFIG_FILE: b }, configFile: c, builder: { configFile: d } }
    expect(resolveOnly(all).clusterId).toBe('a')
    expect(resolveOnly({ ...all, argv: [] }).clusterId).toBe('b')
    expect(resolveOnly({ ...all, argv: [], env: {} }).clusterId).toBe('c')
    expect(resolveOnly({ builder: all.builder }).clusterId).toBe('d')
  })

  it('leaves `--config=vitest.config.ts` to Vitest', () => {
    expect(resolveOnly({ argv: ['--config=vitest.config.ts'] })).toEqual(DEFAULTS)
  })

  it('reads a file that starts with a byte-order mark', () => {
    const path = writeConfig(`\uFEFF{ "loadspec": { "AgentsCount": 2 } }`)
    expect(resolveOnly({ configFile: path }).agentsCount).toBe(2)
  })
})

describe("resolveConfig: k6's precedence CLI > environment > builder > file", () => {
  const filePath = () =>
    writeConfig({ LoadStrike: { AgentsCount: 1, ClusterId: 'file-cluster', AgentGroup: 'file-group', ReportFolder: 'file-reports' } })

  it('takes each key from the highest source that set it', () => {
    const config = resolveOnly({
      configFile: filePath(),
      env: { LOADSPEC_AGENTS_COUNT: '2', LOADSPEC_CLUSTER_ID: 'env-cluster', LOADSPEC_AGENT_GROUP: 'env-group' },
      argv: ['--AgentsCount=3', '--ClusterId=cli-cluster'],
      builder: { agentsCount: 4 },
    })
    expect(config).toMatchObject({
      agentsCount: 3, // all four set: CLI wins
      clusterId: 'cli-cluster', // cli, env, file: cli wins
      agentGroup: 'env-group', // env, file: env wins
      reportFolder: 'file-reports', // file only
      clusterCommandTimeoutMs: 120_000, // nobody: default
    })
  })

  it('builder calls win over the file and lose to the environment', () => {
    expect(resolveOnly({ configFile: filePath(), builder: { agentsCount: 4, clusterId: 'code' } })).toMatchObject({ agentsCount: 4, clusterId: 'code' })
    expect(resolveOnly({ configFile: filePath(), builder: { agentsCount: 4 }, env: { LOADSPEC_AGENTS_COUNT: '2' } }).agentsCount).toBe(2)
  })

  it('falls through a level when a higher one leaves a key undefined', () => {
    const config = resolveOnly({ configFile: filePath(), env: { LOADSPEC_AGENTS_COUNT: '2' }, builder: { agentsCount: undefined } })
    expect(config.agentsCount).toBe(2)
  })

  it('lets a later CLI token override an earlier one for the same key, whatever the spelling', () => {
    expect(resolveOnly({ argv: ['--agents-count=2', '--AgentsCount=5'] }).agentsCount).toBe(5)
  })

  it('treats blank environment variables as unset', () => {
    expect(resolveOnly({ env: { LOADSPEC_CLUSTER_ID: '  ' } }).clusterId).toBe('loadspec')
  })
})

describe('resolveConfig: spellings and text values', () => {
  it.each([['--nodetype=Agent'], ['--NodeType=Agent'], ['--node-type=agent'], ['--NODE_TYPE=AGENT']])('reads %s', (token) => {
    expect(resolveOnly({ argv: [token, '--NatsServerUrl=nats://h:4222'] }).nodeType).toBe('Agent')
  })

  it.each([['LOADSPEC_NODE_TYPE'], ['LOADSPEC_NODETYPE']])('reads %s', (name) => {
    expect(resolveOnly({ env: { [name]: 'coordinator', LOADSPEC_ENABLE_LOCAL_DEV_CLUSTER: 'true' } }).nodeType).toBe('Coordinator')
  })

  it('reads --agents-count=2 (kebab) and numbers given as text', () => {
    const config = resolveOnly({ argv: ['--agents-count=2', '--cluster-command-timeout-ms= 3000 '], env: { LOADSPEC_HEARTBEAT_INTERVAL_MS: '250' } })
    expect(config).toMatchObject({ agentsCount: 2, clusterCommandTimeoutMs: 3000, heartbeatIntervalMs: 250 })
  })

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ])('reads EnableLocalDevCluster=%s as %s', (text, expected) => {
    expect(resolveOnly({ argv: [`--EnableLocalDevCluster=${text}`] }).enableLocalDevCluster).toBe(expected)
  })

  it('matches NodeType in any case and returns the canonical spelling', () => {
    expect(resolveOnly({ builder: { nodeType: 'sInGlE' } }).nodeType).toBe('Single')
  })

  it('ignores argv entries that are not --Key=value for a known key', () => {
    const argv = ['run', 'test/unit', '--reporter=verbose', '--pool=forks', '--project=load', '--shard=1/2', '--coverage.enabled=true', '-t', 'checkout', '--run', '--root=.', '--mode=test']
    expect(resolveOnly({ argv })).toEqual(DEFAULTS)
  })

  it('ignores LOADSPEC_ variables that are not near a key (other parts of loadspec use the prefix)', () => {
    expect(resolveOnly({ env: { LOADSPEC_RESOLVED_CONFIG: '{}', HOME: '/root' } })).toEqual(DEFAULTS)
  })
})

describe('resolveConfig: lists', () => {
  it('splits comma-separated strings, trims entries and drops empty ones', () => {
    const config = resolveOnly({ argv: ['--TargetScenarios= a, b ,,c,'], env: { LOADSPEC_AGENT_TARGET_SCENARIOS: 'a' } })
    expect(config.targetScenarios).toEqual(['a', 'b', 'c'])
    expect(config.agentTargetScenarios).toEqual(['a'])
  })

  it('takes arrays as they are, trimmed and without repeats', () => {
    const config = resolveOnly({ builder: { targetScenarios: [' a', 'b', 'a', ''], coordinatorTargetScenarios: ['c'] } })
    expect(config.targetScenarios).toEqual(['a', 'b'])
    expect(config.coordinatorTargetScenarios).toEqual(['c'])
  })

  it('reads report formats in any case, as a list or a comma string', () => {
    expect(resolveOnly({ builder: { reportFormats: ['HTML', 'json'] } }).reportFormats).toEqual(['html', 'json'])
    expect(resolveOnly({ env: { LOADSPEC_REPORT_FORMATS: 'md, csv' } }).reportFormats).toEqual(['md', 'csv'])
  })

  it('reads several NATS servers, and an empty value as none', () => {
    const urls = 'nats://a:4222, tls://b:4222,ws://c:8080,wss://d'
    expect(resolveOnly({ argv: [`--NatsServerUrl=${urls}`] }).natsServerUrl).toEqual(['nats://a:4222', 'tls://b:4222', 'ws://c:8080', 'wss://d'])
    expect(resolveOnly({ argv: ['--NatsServerUrl='] }).natsServerUrl).toBeUndefined()
  })
})

describe('resolveConfig: other keys', () => {
  it('turns reports off with reportsEnabled=false (withoutReports)', () => {
    expect(resolveOnly({ builder: { reportsEnabled: false } }).reportsEnabled).toBe(false)
  })

  it('accepts RunnerKey and drops it', () => {
    const config = resolveOnly({ builder: { runnerKey: 'licence' }, configFile: writeConfig({ LoadStrike: { RunnerKey: 'x' } }) })
    expect(config).toEqual(DEFAULTS)
    expect('runnerKey' in config).toBe(false)
  })

  it('keeps NATS connection options as given', () => {
    const config = resolveOnly({
      env: { LOADSPEC_NATS_TOKEN: ' s3cret ', LOADSPEC_NATS_TLS_CERT_FILE: 'c.pem', LOADSPEC_NATS_TLS_KEY_FILE: 'k.pem' },
      builder: { natsName: 'load-1', natsUser: 'u', natsPassword: 'p', natsCredsFile: 'x.creds', natsNkeySeedFile: 's.nk', natsTlsCaFile: 'ca.pem' },
    })
    expect(config).toMatchObject({
      natsToken: ' s3cret ',
      natsName: 'load-1',
      natsUser: 'u',
      natsPassword: 'p',
      natsCredsFile: 'x.creds',
      natsNkeySeedFile: 's.nk',
      natsTlsCaFile: 'ca.pem',
      natsTlsCertFile: 'c.pem',
      natsTlsKeyFile: 'k.pem',
    })
  })

  it('allows AgentsCount 0 for a Single node without a local dev cluster', () => {
    expect(resolveOnly({ builder: { agentsCount: 0 } }).agentsCount).toBe(0)
  })
})

describe('configKeys and toCamelCaseKey', () => {
  it('lists every key with its three spellings and a description', () => {
    expect(configKeys.map((info) => info.camel)).toEqual([...CONFIG_KEY_NAMES])
    expect(configKeys.find((info) => info.camel === 'agentsCount')).toEqual({
      camel: 'agentsCount',
      pascal: 'AgentsCount',
      env: 'LOADSPEC_AGENTS_COUNT',
      description: expect.any(String),
      secret: false,
    })
    expect(configKeys.find((info) => info.camel === 'natsTlsCaFile')?.env).toBe('LOADSPEC_NATS_TLS_CA_FILE')
    expect(configKeys.filter((info) => info.secret).map((info) => info.camel)).toEqual(['runnerKey', 'natsToken', 'natsPassword'])
    for (const info of configKeys) expect(info.description.length).toBeGreaterThan(10)
    expect(configFileOption.env).toBe('LOADSPEC_CONFIG_FILE')
  })

  it.each([
    ['NodeType', 'nodeType'],
    ['nodetype', 'nodeType'],
    ['node-type', 'nodeType'],
    ['NODE_TYPE', 'nodeType'],
    ['AgentsCount', 'agentsCount'],
    ['nats-tls-ca-file', 'natsTlsCaFile'],
    ['AgentCount', undefined],
    ['reporter', undefined],
  ])('toCamelCaseKey(%j) is %j', (input, expected) => {
    expect(toCamelCaseKey(input)).toBe(expected)
  })
})
