/** `firelens-preflight/config`: the project config file, found, read and validated. */
export {
  CONFIG_FILE_NAMES,
  findConfig,
  type LoadedConfig,
  loadConfigFile,
  PACKAGE_JSON_KEY,
} from "./find.js";
export { ConfigFileError, parseConfigText } from "./load.js";
export { ConfigSchema, type ConfigSuppression, MIN_REASON_LENGTH, type ProjectConfig } from "./schema.js";
