/** `firelens-preflight/probe`: the preflight probe as a library. */

export { type ProbeMainOptions, type ProbeStreams, probeMain, readableLine } from "./cli.js";
export {
  ConfigError,
  DEFAULT_SETTLE_MS,
  describeForward,
  type Env,
  type ForwardTarget,
  HELP_TEXT,
  type LoadResult,
  loadConfig,
  OPTIONS,
  type ProbeConfig,
  type ProbeTag,
  parseDuration,
  parseForward,
  type RequireSetting,
} from "./config.js";
export { TAG_SUFFIX } from "./contract.js";
export {
  ackOf,
  canConnect,
  connectWithRetry,
  encodeForward,
  encodeMessage,
  eventTime,
  type FluentEntry,
  type FluentRecord,
  ForwardClosedError,
  ForwardConnection,
  newChunkId,
} from "./forward.js";
export {
  type Answer,
  type BuildInfo,
  classifyBuildInfo,
  classifyHealth,
  classifyMetricsV1,
  classifyMetricsV2,
  classifyUptime,
  HEALTH_SAFE_SINCE,
  HealthRefusedError,
  type MetricsSnapshot,
  MonitorClient,
  type OutputCounters,
  parseBuildInfo,
  parseMetricsText,
  parseMetricsV1,
  parseVersion,
  type RawAnswer,
  versionAtLeast,
} from "./monitor.js";
export {
  DEFAULT_TUNING,
  type Level,
  newRunId,
  PING_TAG,
  type ProbeResult,
  type ProbeTimings,
  type RunOptions,
  recordsFor,
  runProbe,
  type Tuning,
} from "./run.js";
export {
  type Assessment,
  assess,
  describeFailure,
  isNullOutput,
  type OutputDelta,
  uptimeWentBackwards,
  zeroBaseline,
} from "./verdict.js";
