/**
 * The router's configuration as the ECS agent generates it (pure: model → text).
 */
export {
  CONFIG_PATH,
  type ContainerOutput,
  type ExternalConfig,
  FirelensConfigError,
  FORWARD_PORT,
  type GeneratedConfig,
  type GenerateOptions,
  generateFirelensConfig,
  HEALTHCHECK_PORT,
  HEALTHCHECK_TAG,
  type NetworkMode,
  networkModeOf,
  S3_CONFIG_PATH,
  type SecretVariable,
  SOCKET_PATH,
} from "./generate.js";
export { type FluentBitSections, type LogPipe, type RegexFilter, renderFluentBit } from "./template.js";
