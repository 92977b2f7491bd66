/** Configuration: one schema, four sources (builder > CLI > environment > JSON file), one error listing every problem. */
export { resolveConfig, type ResolveConfigOptions } from './resolve.js'
export { loadspecConfigSchema, DEFAULT_CLUSTER_COMMAND_TIMEOUT_MS, type LoadspecConfig, type LoadspecConfigInput } from './schema.js'
export { NODE_TYPES, REPORT_FORMATS, MAX_TIMER_MS, type NodeType, type ReportFormat } from './constants.js'
export { ConfigError, type ConfigIssue, type ConfigSource } from './errors.js'
export { configKeys, configFileOption, toCamelCaseKey, CONFIG_KEY_NAMES, type ConfigKey, type ConfigKeyInfo } from './keys.js'
