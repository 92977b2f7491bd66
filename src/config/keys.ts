/**
 * The names of every configuration key, in the three spellings users meet:
 * camelCase (builder, plugin options, code), PascalCase (JSON file, CLI,
 * docs) and LOADSPEC_SNAKE_CASE (environment). The schema validates values;
 * this module only knows names, so a CLI help or the plugin can list keys
 * without importing zod.
 */
import { nearMiss } from './near-miss.js'

/** Every configuration key, camelCase, in the order the docs list them. */
export const CONFIG_KEY_NAMES = [
  'nodeType',
  'clusterId',
  'agentGroup',
  'agentsCount',
  'natsServerUrl',
  'targetScenarios',
  'agentTargetScenarios',
  'coordinatorTargetScenarios',
  'clusterCommandTimeoutMs',
  'enableLocalDevCluster',
  'reportFolder',
  'reportFormats',
  'reportsEnabled',
  'reportingIntervalMs',
  'runnerKey',
  'heartbeatIntervalMs',
  'agentLostTimeoutMs',
  'allowCodeMismatch',
  'clientId',
  'natsName',
  'natsToken',
  'natsUser',
  'natsPassword',
  'natsCredsFile',
  'natsNkeySeedFile',
  'natsTlsCaFile',
  'natsTlsCertFile',
  'natsTlsKeyFile',
] as const

export type ConfigKey = (typeof CONFIG_KEY_NAMES)[number]

export interface ConfigKeyInfo {
  /** Builder / plugin option name: `agentsCount`. */
  readonly camel: ConfigKey
  /** JSON file and CLI name: `AgentsCount` (`--AgentsCount=3`). */
  readonly pascal: string
  /** Environment variable: `LOADSPEC_AGENTS_COUNT`. */
  readonly env: string
  readonly description: string
  /** Secret values are never printed: messages show `***`. */
  readonly secret: boolean
}

const DESCRIPTIONS: Record<ConfigKey, string> = {
  nodeType: 'Role of this process: Single (default), Coordinator, Agent, or Client (a run submitted to a coordinator service).',
  clusterId: 'Nodes join a run only with the same ClusterId.',
  agentGroup: 'Nodes join a run only with the same AgentGroup.',
  agentsCount: 'How many agents the coordinator (or local dev cluster) waits for.',
  natsServerUrl: 'NATS server URL(s) for Coordinator and Agent: nats://, tls://, ws:// or wss://; comma-separated for several.',
  targetScenarios: 'Run only these scenarios, on every role (empty: all).',
  agentTargetScenarios: 'Scenarios every agent runs (empty: the rest are spread over agents by weight).',
  coordinatorTargetScenarios: 'Scenarios that run on the coordinator and never on agents.',
  clusterCommandTimeoutMs: 'How long the coordinator waits for agents and their answers, in ms.',
  enableLocalDevCluster: 'Start the agents in-process (no NATS needed).',
  reportFolder: 'Folder the reports are written to.',
  reportFormats: 'Report formats: html, json, md, txt, csv.',
  reportsEnabled: 'Write reports at the end of a run.',
  reportingIntervalMs: 'Length of one interval of the time series in reports, in ms (default: 500 for runs up to 10 s, 1000 up to 2 min, 5000 beyond).',
  runnerKey: 'Accepted for LoadStrike compatibility and ignored: loadspec needs no licence key.',
  heartbeatIntervalMs: 'How often agents send a heartbeat, in ms.',
  agentLostTimeoutMs: 'An agent is lost after this long without a heartbeat, in ms.',
  clientId: 'NodeType Client: the id its subjects carry (letters, digits, "-", "_"), so NATS permissions can hold each client to its own; default <host>-<pid>.',
  allowCodeMismatch: 'Run a session even when an agent\'s code for a scenario differs from the client\'s or the Coordinator\'s (its fingerprint), with a warning on the result; default false.',
  natsName: 'Connection name shown by the NATS server.',
  natsToken: 'NATS token authentication.',
  natsUser: 'NATS user name.',
  natsPassword: 'NATS password.',
  natsCredsFile: 'Path to a NATS .creds file (JWT + NKey).',
  natsNkeySeedFile: 'Path to a file holding an NKey seed.',
  natsTlsCaFile: 'Path to the CA certificate that signed the NATS server certificate.',
  natsTlsCertFile: 'Path to the client certificate for TLS client authentication.',
  natsTlsKeyFile: 'Path to the private key of the client certificate.',
}

const SECRET_KEYS: ReadonlySet<ConfigKey> = new Set<ConfigKey>(['natsToken', 'natsPassword', 'runnerKey'])

export const configKeys: readonly ConfigKeyInfo[] = CONFIG_KEY_NAMES.map((camel) => ({
  camel,
  pascal: toPascal(camel),
  env: toEnvName(camel),
  description: DESCRIPTIONS[camel],
  secret: SECRET_KEYS.has(camel),
}))

/**
 * Not a configuration key but the option that names the JSON file:
 * `configFile` (builder, plugin), `--config=x.json` / `--ConfigFile=x.json`,
 * `LOADSPEC_CONFIG_FILE`.
 */
export const configFileOption = {
  camel: 'configFile',
  pascal: 'ConfigFile',
  env: 'LOADSPEC_CONFIG_FILE',
  description: 'JSON file with a "LoadStrike" or "loadspec" section; relative paths resolve against the working directory.',
} as const

/**
 * The camelCase key for any spelling of a known key (`NodeType`,
 * `nodetype`, `node-type`, `NODE_TYPE`), or undefined when it is not one.
 */
export function toCamelCaseKey(anyCase: string): ConfigKey | undefined {
  return BY_NORMALIZED.get(normalizeKeyName(anyCase))
}

/** A known key (or configFile) that `name` is a plausible misspelling of, for "did you mean …?". */
export function suggestKey(name: string): ConfigKey | typeof configFileOption.camel | undefined {
  return nearMiss(name, [...CONFIG_KEY_NAMES, configFileOption.camel], normalizeKeyName)
}

export function keyInfo(key: ConfigKey): ConfigKeyInfo {
  // Every ConfigKey is in configKeys by construction.
  return INFO_BY_KEY.get(key) as ConfigKeyInfo
}

/** Spelling-insensitive form used to compare key names: lower case, no '-' or '_'. */
export function normalizeKeyName(name: string): string {
  return name.replace(/[-_]/g, '').toLowerCase()
}

const BY_NORMALIZED: ReadonlyMap<string, ConfigKey> = new Map(CONFIG_KEY_NAMES.map((k) => [normalizeKeyName(k), k]))
const INFO_BY_KEY: ReadonlyMap<ConfigKey, ConfigKeyInfo> = new Map(configKeys.map((info) => [info.camel, info]))

function toPascal(camel: string): string {
  return camel.charAt(0).toUpperCase() + camel.slice(1)
}

function toEnvName(camel: string): string {
  return `LOADSPEC_${camel.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`
}
