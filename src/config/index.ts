/** `firelens-preflight/config`: the project config file, found, read and validated. */
export {
  CONFIG_FILE_NAMES,
  configKeyError,
  findConfig,
  type LoadedConfig,
  loadConfigFile,
  locateConfigKey,
  PACKAGE_JSON_KEY,
} from "./find.js";
export { ConfigFileError, parseConfigText, type Segment } from "./load.js";
export { excludedBy, globMatcher, relativeToConfig, suppressionCovers } from "./match.js";
export { ConfigSchema, type ConfigSuppression, MIN_REASON_LENGTH, type ProjectConfig } from "./schema.js";
