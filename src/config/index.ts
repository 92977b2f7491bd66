/** Configuration: one schema, four sources (CLI > environment > builder/plugin options > JSON file), one error listing every problem. */
export { resolveConfig, resolveConfigWithSources, type ConfigResolution, type ResolveConfigOptions, type SetKey } from './resolve.js'
export { resolvedConfigLine, type ResolvedLineOptions } from './resolved-line.js'
export { loadspecConfigSchema, DEFAULT_CLUSTER_COMMAND_TIMEOUT_MS, type LoadspecConfig, type LoadspecConfigInput } from './schema.js'
export { NODE_TYPES, REPORT_FORMATS, MAX_TIMER_MS, type NodeType, type ReportFormat } from './constants.js'
export { ConfigError, type ConfigIssue, type ConfigSource } from './errors.js'
export { configKeys, configFileOption, toCamelCaseKey, CONFIG_KEY_NAMES, type ConfigKey, type ConfigKeyInfo } from './keys.js'
