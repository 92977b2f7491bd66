/**
 * The one schema every configuration source is validated against (builder
 * and plugin options, CLI, environment, JSON file are merged first, then
 * parsed here once). Keys are camelCase; defaults live here and nowhere else.
 */
import { z } from 'zod'
import { MAX_TIMER_MS, NODE_TYPES, REPORT_FORMATS, type NodeType, type ReportFormat } from './constants.js'
import { choice, flag, list, natsUrl, subjectToken, text, trimmedText, wholeNumber } from './fields.js'
import type { ConfigKey } from './keys.js'
import { crossFieldViolations } from './rules.js'

/** Configuration after validation: every key resolved, defaults applied. */
export interface LoadspecConfig {
  readonly nodeType: NodeType
  readonly clusterId: string
  readonly agentGroup: string
  /** 0 only makes sense for a Single node without a local dev cluster. */
  readonly agentsCount: number
  /** One or more server URLs; undefined when not set (Single node, local dev cluster). */
  readonly natsServerUrl?: string[]
  readonly targetScenarios: string[]
  readonly agentTargetScenarios: string[]
  readonly coordinatorTargetScenarios: string[]
  readonly clusterCommandTimeoutMs: number
  readonly enableLocalDevCluster: boolean
  readonly reportFolder: string
  readonly reportFormats: ReportFormat[]
  readonly reportsEnabled: boolean
  /** Undefined: chosen from the run's length. */
  readonly reportingIntervalMs?: number
  readonly heartbeatIntervalMs: number
  readonly agentLostTimeoutMs: number
  /** A Client's session runs even when an agent's code fingerprint differs from the client's. */
  readonly allowCodeMismatch: boolean
  /** NodeType Client: the id in its subjects; undefined: `<host>-<pid>`. */
  readonly clientId?: string
  readonly natsName?: string
  readonly natsToken?: string
  readonly natsUser?: string
  readonly natsPassword?: string
  readonly natsCredsFile?: string
  readonly natsNkeySeedFile?: string
  readonly natsTlsCaFile?: string
  readonly natsTlsCertFile?: string
  readonly natsTlsKeyFile?: string
}

/** Numbers may arrive as text from the CLI or the environment. */
type NumberInput = number | string
/** An array, or one comma-separated string. */
type ListInput = string | readonly string[]
/** true/false, or "true"/"false"/"1"/"0". */
type FlagInput = boolean | string

/** What builder calls and plugin options accept: every key optional. */
export interface LoadspecConfigInput {
  /** Any case: 'agent' is 'Agent'. */
  nodeType?: NodeType | (string & {})
  clusterId?: string
  agentGroup?: string
  agentsCount?: NumberInput
  natsServerUrl?: ListInput
  targetScenarios?: ListInput
  agentTargetScenarios?: ListInput
  coordinatorTargetScenarios?: ListInput
  clusterCommandTimeoutMs?: NumberInput
  enableLocalDevCluster?: FlagInput
  reportFolder?: string
  reportFormats?: ReportFormat | readonly ReportFormat[] | ListInput
  reportsEnabled?: FlagInput
  reportingIntervalMs?: NumberInput
  /** Accepted for LoadStrike compatibility and ignored. */
  runnerKey?: string
  heartbeatIntervalMs?: NumberInput
  agentLostTimeoutMs?: NumberInput
  allowCodeMismatch?: FlagInput
  clientId?: string
  natsName?: string
  natsToken?: string
  natsUser?: string
  natsPassword?: string
  natsCredsFile?: string
  natsNkeySeedFile?: string
  natsTlsCaFile?: string
  natsTlsCertFile?: string
  natsTlsKeyFile?: string
  /** The JSON config file; relative paths resolve against the working directory. */
  configFile?: string
}

export const DEFAULT_CLUSTER_COMMAND_TIMEOUT_MS = 120_000

const SUBJECT_NAME = 'a non-empty name of letters, digits, "-" or "_" (it becomes part of NATS subjects)'
const SCENARIO_LIST = 'a list of scenario names (an array of strings or a comma-separated string)'
const TIMER_MS = `a positive integer of milliseconds (at most ${MAX_TIMER_MS})`
const FLAG = 'true or false ("true", "false", "1" or "0" as text)'
const NATS_URL = 'a NATS server URL such as nats://localhost:4222 (nats://, tls://, ws:// or wss://), or several as an array or a comma-separated string'
const NATS_TEXT = 'a non-empty string'
const NATS_FILE = 'a non-empty file path'

const REPORT_FORMATS_EXPECTED = `a non-empty list of ${REPORT_FORMATS.map((f) => `"${f}"`).join(', ')} (an array or a comma-separated string)`

const configShape = {
  nodeType: choice(NODE_TYPES, 'one of "Single", "Coordinator", "Agent", "Client" (any case)').default('Single'),
  clusterId: subjectToken(SUBJECT_NAME).default('loadspec'),
  agentGroup: subjectToken(SUBJECT_NAME).default('default'),
  // 0 passes here: whether it is allowed depends on the role (see rules.ts).
  agentsCount: wholeNumber(0, Number.MAX_SAFE_INTEGER, 'a positive integer').default(1),
  natsServerUrl: list(natsUrl(NATS_URL), NATS_URL).transform((urls) => (urls.length > 0 ? urls : undefined)).optional(),
  targetScenarios: list(z.string({ error: SCENARIO_LIST }), SCENARIO_LIST).default(() => []),
  agentTargetScenarios: list(z.string({ error: SCENARIO_LIST }), SCENARIO_LIST).default(() => []),
  coordinatorTargetScenarios: list(z.string({ error: SCENARIO_LIST }), SCENARIO_LIST).default(() => []),
  clusterCommandTimeoutMs: wholeNumber(1, MAX_TIMER_MS, TIMER_MS).default(DEFAULT_CLUSTER_COMMAND_TIMEOUT_MS),
  enableLocalDevCluster: flag(FLAG).default(false),
  reportFolder: trimmedText('a non-empty folder path').default('load-reports'),
  reportFormats: list(choice(REPORT_FORMATS, REPORT_FORMATS_EXPECTED), REPORT_FORMATS_EXPECTED)
    .superRefine((formats, ctx) => {
      if (formats.length === 0) {
        ctx.addIssue({ code: 'custom', message: REPORT_FORMATS_EXPECTED, input: formats, params: { hint: 'to write no reports, set ReportsEnabled=false (withoutReports())' } })
      }
    })
    .default(() => [...REPORT_FORMATS]),
  reportsEnabled: flag(FLAG).default(true),
  reportingIntervalMs: wholeNumber(10, MAX_TIMER_MS, 'a whole number of milliseconds, at least 10').optional(),
  runnerKey: z.unknown().optional(),
  heartbeatIntervalMs: wholeNumber(1, MAX_TIMER_MS, TIMER_MS).default(1000),
  agentLostTimeoutMs: wholeNumber(1, MAX_TIMER_MS, TIMER_MS).default(5000),
  allowCodeMismatch: flag(FLAG).default(false),
  clientId: subjectToken(SUBJECT_NAME).optional(),
  natsName: text(NATS_TEXT).optional(),
  natsToken: text(NATS_TEXT).optional(),
  natsUser: text(NATS_TEXT).optional(),
  natsPassword: text(NATS_TEXT).optional(),
  natsCredsFile: text(NATS_FILE).optional(),
  natsNkeySeedFile: text(NATS_FILE).optional(),
  natsTlsCaFile: text(NATS_FILE).optional(),
  natsTlsCertFile: text(NATS_FILE).optional(),
  natsTlsKeyFile: text(NATS_FILE).optional(),
} satisfies Record<ConfigKey, z.ZodType>

/**
 * Input: an object with camelCase keys (values as given by any source);
 * output: LoadspecConfig. Issues carry the `expected` phrase as message,
 * and for cross-field rules `params: { hint, related }`.
 */
export const loadspecConfigSchema = z
  .object(configShape)
  .superRefine(
    (candidate, ctx) => {
      for (const violation of crossFieldViolations(candidate)) {
        ctx.addIssue({
          code: 'custom',
          path: [violation.key],
          message: violation.expected,
          input: candidate[violation.key],
          params: { hint: violation.hint, related: violation.related },
        })
      }
    },
    // Run the rules even when some key failed, so all problems surface in one round.
    { when: () => true },
  )
  .transform(({ runnerKey: _ignored, ...config }): LoadspecConfig => config)

// Compile-time guard: the input type names every key (plus configFile), no more, no less.
type SameKeys<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : false
type Expect<T extends true> = T
type _InputKeysMatchSchema = Expect<SameKeys<keyof LoadspecConfigInput, ConfigKey | 'configFile'>>
