import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ConfigError, resolveConfig, type ResolveConfigOptions } from '../../src/config/index.js'

const dir = mkdtempSync(join(tmpdir(), 'loadspec-config-errors-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let fileCount = 0
function writeConfig(content: unknown): string {
  const path = join(dir, `loadspec-${++fileCount}.config.json`)
  writeFileSync(path, JSON.stringify(content))
  return path
}

function configErrorOf(options: ResolveConfigOptions): ConfigError {
  try {
    resolveConfig({ argv: [], env: {}, cwd: dir, ...options })
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError, but the configuration resolved')
}

/** Plain-JavaScript callers can pass anything; the types would stop TypeScript ones. */
const untyped = (builder: Record<string, unknown>): ResolveConfigOptions['builder'] => builder as ResolveConfigOptions['builder']

const fileWithThree = writeConfig({ LoadStrike: { AgentsCount: 'three' } })
const fileWithTypo = writeConfig({ LoadStrike: { AgentCount: 3 } })
const fileWithNumberList = writeConfig({ loadspec: { TargetScenarios: [1, 2] } })

const BAD_INPUTS: { name: string; options: ResolveConfigOptions; message: string }[] = [
  {
    name: 'negative AgentsCount',
    options: { builder: { agentsCount: -1 } },
    message: 'AgentsCount must be a positive integer, got -1 (from builder/plugin option agentsCount)',
  },
  {
    name: 'AgentsCount "abc" from the environment',
    options: { env: { LOADSPEC_AGENTS_COUNT: 'abc' } },
    message: 'AgentsCount must be a positive integer, got "abc" (from environment LOADSPEC_AGENTS_COUNT)',
  },
  {
    name: 'fractional AgentsCount on the command line',
    options: { argv: ['--agents-count=2.5'] },
    message: 'AgentsCount must be a positive integer, got "2.5" (from command line --agents-count=2.5)',
  },
  {
    name: 'AgentsCount 0 for a coordinator',
    options: { builder: { nodeType: 'Coordinator', agentsCount: 0, natsServerUrl: 'nats://localhost:4222' } },
    message: 'AgentsCount must be at least 1 when NodeType is "Coordinator", got 0 (from builder/plugin option agentsCount; NodeType from builder/plugin option nodeType) — it is how many agents the coordinator waits for',
  },
  {
    name: 'AgentsCount 0 for a local dev cluster',
    options: { argv: ['--EnableLocalDevCluster=true', '--AgentsCount=0'] },
    message: 'AgentsCount must be at least 1 when EnableLocalDevCluster is true, got "0" (from command line --AgentsCount=0; EnableLocalDevCluster from command line --EnableLocalDevCluster=true)',
  },
  {
    name: 'unknown NodeType lists the allowed values',
    options: { env: { LOADSPEC_NODE_TYPE: 'Worker' } },
    message: 'NodeType must be one of "Single", "Coordinator", "Agent", "Client" (any case), got "Worker" (from environment LOADSPEC_NODE_TYPE)',
  },
  {
    name: 'misspelt NodeType gets a suggestion',
    options: { argv: ['--NodeType=Cordinator'] },
    message: 'NodeType must be one of "Single", "Coordinator", "Agent", "Client" (any case), got "Cordinator" (from command line --NodeType=Cordinator) — did you mean "Coordinator"?',
  },
  {
    name: 'NatsServerUrl without a scheme',
    options: { builder: { natsServerUrl: 'localhost:4222' } },
    message: 'NatsServerUrl must be a NATS server URL such as nats://localhost:4222 (nats://, tls://, ws:// or wss://), or several as an array or a comma-separated string, got "localhost:4222" (from builder/plugin option natsServerUrl) — did you mean "nats://localhost:4222"?',
  },
  {
    name: 'NatsServerUrl over HTTP',
    options: { builder: { natsServerUrl: 'http://x' } },
    message: 'got "http://x" (from builder/plugin option natsServerUrl) — NATS is not HTTP: use nats://x:4222 (the client port), or ws(s):// for a websocket listener',
  },
  {
    name: 'one bad NatsServerUrl in a list',
    options: { env: { LOADSPEC_NATS_SERVER_URL: 'nats://a:4222,tcp://b:4222' } },
    message: 'got "nats://a:4222,tcp://b:4222" (entry "tcp://b:4222") (from environment LOADSPEC_NATS_SERVER_URL)',
  },
  {
    name: 'wrong type in the JSON file names the file and the key path',
    options: { configFile: fileWithThree },
    message: `AgentsCount must be a positive integer, got "three" (from ${fileWithThree} at LoadStrike.AgentsCount)`,
  },
  {
    name: 'unknown key in the JSON file with a near-miss suggestion',
    options: { configFile: fileWithTypo },
    message: `Unknown key "AgentCount" in LoadStrike section of ${fileWithTypo} — did you mean "AgentsCount"?`,
  },
  {
    name: 'scenario names that are not strings',
    options: { configFile: fileWithNumberList },
    message: `TargetScenarios must be a list of scenario names (an array of strings or a comma-separated string), got [1,2] (entry 1) (from ${fileWithNumberList} at loadspec.TargetScenarios)`,
  },
  {
    name: 'ClusterCommandTimeoutMs written as a duration',
    options: { argv: ['--ClusterCommandTimeoutMs=2m'] },
    message: 'ClusterCommandTimeoutMs must be a positive integer of milliseconds (at most 2147483647), got "2m" (from command line --ClusterCommandTimeoutMs=2m)',
  },
  {
    name: 'ClusterCommandTimeoutMs beyond what setTimeout honours',
    options: { builder: { clusterCommandTimeoutMs: 3_000_000_000 } },
    message: 'ClusterCommandTimeoutMs must be a positive integer of milliseconds (at most 2147483647), got 3000000000',
  },
  {
    name: 'unknown report format',
    options: { builder: { reportFormats: 'html,pdf' } },
    message: 'ReportFormats must be a non-empty list of "html", "json", "md", "txt", "csv" (an array or a comma-separated string), got "html,pdf" (entry "pdf") (from builder/plugin option reportFormats)',
  },
  {
    name: 'empty report formats points at ReportsEnabled',
    options: { builder: { reportFormats: [] } },
    message: 'got [] (from builder/plugin option reportFormats) — to write no reports, set ReportsEnabled=false (withoutReports())',
  },
  {
    name: 'Agent without NatsServerUrl',
    options: { env: { LOADSPEC_NODE_TYPE: 'agent' } },
    message: 'NatsServerUrl must be set when NodeType is "Agent", got nothing (not set; NodeType from environment LOADSPEC_NODE_TYPE) — agents reach the coordinator through NATS',
  },
  {
    name: 'Client without NatsServerUrl',
    options: { env: { LOADSPEC_NODE_TYPE: 'client' } },
    message: 'NatsServerUrl must be set when NodeType is "Client", got nothing (not set; NodeType from environment LOADSPEC_NODE_TYPE) — clients reach the coordinator service through NATS',
  },
  {
    name: 'Coordinator without NatsServerUrl or local dev cluster',
    options: { builder: { nodeType: 'Coordinator' } },
    message: 'NatsServerUrl must be set when NodeType is "Coordinator" and EnableLocalDevCluster is false, got nothing (not set; NodeType from builder/plugin option nodeType; EnableLocalDevCluster by default) — set it to your NATS server (e.g. nats://localhost:4222), or set EnableLocalDevCluster=true to run the agents in-process',
  },
  {
    name: 'a scenario targeted at agents and at the coordinator',
    options: { builder: { agentTargetScenarios: 'kafka-consumer,orders' }, argv: ['--CoordinatorTargetScenarios=http-source,kafka-consumer'] },
    message: 'AgentTargetScenarios must be disjoint from CoordinatorTargetScenarios, got "kafka-consumer,orders" (from builder/plugin option agentTargetScenarios; CoordinatorTargetScenarios from command line --CoordinatorTargetScenarios=http-source,kafka-consumer) — "kafka-consumer" is in both lists',
  },
  {
    name: 'EnableLocalDevCluster "maybe"',
    options: { env: { LOADSPEC_ENABLE_LOCAL_DEV_CLUSTER: 'maybe' } },
    message: 'EnableLocalDevCluster must be true or false ("true", "false", "1" or "0" as text), got "maybe" (from environment LOADSPEC_ENABLE_LOCAL_DEV_CLUSTER)',
  },
  {
    name: 'EnableLocalDevCluster on an Agent',
    options: { builder: { nodeType: 'Agent', enableLocalDevCluster: true, natsServerUrl: 'nats://localhost:4222' } },
    message: 'EnableLocalDevCluster must be false when NodeType is "Agent", got true (from builder/plugin option enableLocalDevCluster; NodeType from builder/plugin option nodeType)',
  },
  {
    name: 'ClusterId that would break NATS subjects',
    options: { builder: { clusterId: 'orders.cluster' } },
    message: 'ClusterId must be a non-empty name of letters, digits, "-" or "_" (it becomes part of NATS subjects), got "orders.cluster"',
  },
  {
    name: 'empty ReportFolder',
    options: { argv: ['--ReportFolder=  '] },
    message: 'ReportFolder must be a non-empty folder path, got "  " (from command line --ReportFolder=  )',
  },
  {
    name: 'agent declared lost before its next heartbeat',
    options: { env: { LOADSPEC_HEARTBEAT_INTERVAL_MS: '2000', LOADSPEC_AGENT_LOST_TIMEOUT_MS: '1500' } },
    message: 'AgentLostTimeoutMs must be greater than HeartbeatIntervalMs (2000), got "1500" (from environment LOADSPEC_AGENT_LOST_TIMEOUT_MS; HeartbeatIntervalMs from environment LOADSPEC_HEARTBEAT_INTERVAL_MS)',
  },
  {
    name: 'TLS certificate without its key',
    options: { builder: { natsTlsCertFile: 'client.pem' } },
    message: 'NatsTlsKeyFile must be set together with NatsTlsCertFile, got nothing (not set; NatsTlsCertFile from builder/plugin option natsTlsCertFile)',
  },
  {
    name: 'misspelt CLI option',
    options: { argv: ['--NodeTyp=Agent'] },
    message: 'Unknown option "--NodeTyp" (from command line) — did you mean "--NodeType"?',
  },
  {
    name: 'misspelt kebab CLI option is answered in kebab case',
    options: { argv: ['--agent-count=2'] },
    message: 'Unknown option "--agent-count" (from command line) — did you mean "--agents-count"?',
  },
  {
    name: 'known CLI option without a value',
    options: { argv: ['--AgentsCount', '3'] },
    message: 'AgentsCount needs a value (from command line --AgentsCount) — write it as --AgentsCount=<value>',
  },
  {
    name: 'misspelt environment variable',
    options: { env: { LOADSPEC_AGENT_COUNT: '2' } },
    message: 'Unknown environment variable LOADSPEC_AGENT_COUNT — did you mean LOADSPEC_AGENTS_COUNT?',
  },
  {
    name: 'one key set twice in the environment',
    options: { env: { LOADSPEC_NODE_TYPE: 'Single', LOADSPEC_NODETYPE: 'Agent' } },
    message: 'NodeType is set twice in the environment, to different values: LOADSPEC_NODE_TYPE="Single" and LOADSPEC_NODETYPE="Agent" — keep one',
  },
  {
    name: 'unknown builder/plugin option',
    options: { builder: untyped({ agentCount: 2 }) },
    message: 'Unknown builder/plugin option "agentCount" — did you mean "agentsCount"?',
  },
  {
    name: 'builder option in PascalCase',
    options: { builder: untyped({ NodeType: 'Agent' }) },
    message: 'Unknown builder/plugin option "NodeType" — did you mean "nodeType"?',
  },
]

describe('resolveConfig: bad inputs', () => {
  it.each(BAD_INPUTS)('$name', ({ options, message }) => {
    const error = configErrorOf(options)
    expect(error.message).toContain(message)
    expect(error.issues.some((issue) => issue.message.includes(message))).toBe(true)
  })

  it('has at least 20 of them', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(20)
  })
})

describe('ConfigError', () => {
  it('reports several problems from several sources at once, one per line', () => {
    const error = configErrorOf({
      configFile: writeConfig({ LoadStrike: { AgentsCount: 'three', AgentCount: 3 } }),
      env: { LOADSPEC_NODE_TYPE: 'Worker' },
      argv: ['--ClusterCommandTimeoutMs=-5'],
      builder: { reportFormats: ['pdf'] },
    })
    const lines = error.message.split('\n')
    expect(lines[0]).toBe('Invalid loadspec configuration (5 problems):')
    expect(lines.slice(1)).toHaveLength(5)
    expect(lines.slice(1).every((line) => line.startsWith('  - '))).toBe(true)
    expect(error.issues.map((issue) => [issue.source, issue.keyPath])).toEqual(
      expect.arrayContaining([
        ['file', 'LoadStrike.AgentCount'],
        ['env', 'NodeType'],
        ['file', 'LoadStrike.AgentsCount'],
        ['cli', 'ClusterCommandTimeoutMs'],
        ['builder', 'reportFormats'],
      ]),
    )
  })

  it('describes each issue as data too', () => {
    const path = writeConfig({ LoadStrike: { AgentsCount: -1 } })
    const [issue] = configErrorOf({ configFile: path }).issues
    expect(issue).toEqual({
      keyPath: 'LoadStrike.AgentsCount',
      value: -1,
      source: 'file',
      sourceDetail: path,
      expected: 'a positive integer',
      message: `AgentsCount must be a positive integer, got -1 (from ${path} at LoadStrike.AgentsCount)`,
    })
  })

  it('reports a cross-field rule even when another key failed its own check', () => {
    const error = configErrorOf({ builder: { nodeType: 'Agent', agentsCount: 'x' } })
    expect(error.issues.map((issue) => issue.keyPath)).toEqual(['agentsCount', 'NatsServerUrl'])
  })

  it('does not add a rule complaint about a value that already failed', () => {
    const error = configErrorOf({ builder: { nodeType: 'Coordinator', enableLocalDevCluster: 'maybe', agentsCount: -1 } })
    expect(error.issues.map((issue) => issue.keyPath)).toEqual(['agentsCount', 'enableLocalDevCluster'])
  })

  it('is an Error named ConfigError', () => {
    const error = configErrorOf({ builder: { agentsCount: -1 } })
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('ConfigError')
  })
})

describe('secrets never appear in errors', () => {
  const expectHidden = (error: ConfigError, secrets: string[]): void => {
    const everything = `${error.message}\n${JSON.stringify(error.issues)}`
    for (const secret of secrets) expect(everything).not.toContain(secret)
    expect(everything).toContain('***')
  }

  it('masks a NatsToken or NatsPassword of the wrong type', () => {
    const error = configErrorOf({ builder: untyped({ natsToken: 987654321, natsPassword: ['hunter2'] }) })
    expect(error.message).toContain('NatsToken must be a non-empty string, got *** (from builder/plugin option natsToken)')
    expectHidden(error, ['987654321', 'hunter2'])
  })

  it('masks secrets in argv tokens', () => {
    const error = configErrorOf({ argv: ['--NatsPassword=hunter2', '--NatsToken='] })
    expect(error.message).toContain('NatsToken must be a non-empty string, got *** (from command line --NatsToken=***)')
    expectHidden(error, ['hunter2'])
  })

  it('does not echo the value of a misspelt option or variable', () => {
    expectHidden(configErrorOf({ argv: ['--NatsPasword=hunter2'] }), ['hunter2'])
    expectHidden(configErrorOf({ env: { LOADSPEC_NATS_TOKNE: 'hunter2' } }), ['hunter2'])
    const path = writeConfig({ loadspec: { NatsPasword: 'hunter2' } })
    expect(configErrorOf({ configFile: path }).message).not.toContain('hunter2')
  })

  it('masks conflicting secret environment variables', () => {
    expectHidden(configErrorOf({ env: { LOADSPEC_NATS_TOKEN: 'token-a', LOADSPEC_NATSTOKEN: 'token-b' } }), ['token-a', 'token-b'])
  })

  it('masks credentials inside NATS URLs', () => {
    const error = configErrorOf({ argv: ['--NatsServerUrl=nats://alice:s3cret@localhost:4222,http://bob:pw2@x'] })
    expect(error.message).toContain('nats://***@localhost:4222')
    expectHidden(error, ['s3cret', 'alice', 'pw2'])
  })
})
