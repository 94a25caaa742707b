/**
 * `firelens-preflight/model`: one reading of a task for every command. Who the router, the agent, the gates and
 * the apps are (with the evidence), `essential` once normalised, the start edges as the ECS agent builds them,
 * what would make the agent refuse the task, what an early exit stops, which values are only known at deploy
 * time, and the gate container that `fix` and the CDK constructs add.
 */
export {
  type BranchCondition,
  conditionKey,
  conditionLabel,
  describeBranches,
  inEveryBranch,
  MAX_BRANCH_CONDITIONS,
  readBranches,
  routerHealthCheckInEveryBranch,
  type TaskBranch,
  type TaskBranches,
  type TaskUnknown,
  taskBranches,
  taskUnknowns,
  unknownRemedy,
} from "./branches.js";
export {
  conditionPresence,
  datadogProviderEcs,
  hasCustomConfig,
  healthCheckHitsHealthEndpoint,
  outputName,
  type Presence,
  type ProviderEcsUse,
} from "./bug-conditions.js";
export { SERVICE_CONNECT_NODE } from "./edges.js";
export {
  type ContainerDependency,
  containersSetting,
  type DependencyCondition,
  type GateContainerDefinition,
  GateContainerError,
  type GateContainerOptions,
  type GatedName,
  gateContainer,
  gateDependencies,
  gatedDependency,
  gateEnvironment,
  type KeyValuePair,
  validateGateOptions,
} from "./gate-container.js";
export {
  type BugCondition,
  type BugTrigger,
  bugLabel,
  bugsFor,
  describeVersion,
  type FirstFlushCrash,
  HEALTH_ENDPOINT_SAFE_FROM,
  KNOWN_BUGS,
  type KnownBug,
  knownFirstFlushCrashes,
  shortLink,
} from "./known-bugs.js";
export {
  type ContainerOutcome,
  type DependencyState,
  type DependencyVerdict,
  dependencyVerdict,
  type ExitOutcome,
  type NodeOutcome,
  type OutcomeGraph,
  type OutcomeRoles,
  outcomeOfExit,
  type TaskOutcome,
} from "./outcomes.js";
export { printable, printableJson } from "./printable.js";
export {
  type GateSettingProblem,
  type GateTargets,
  gateSettingProblems,
  gateTargets,
  type TargetsSource,
} from "./probe-targets.js";
export { imageTextOf, readTask } from "./read.js";
export { agentEvidence } from "./roles.js";
export { configFileOf, firelensTypeOf, loadsCustomConfig, loadsMonitoringConfig } from "./router.js";
export {
  type ImageRef,
  parseImageRef,
  type RouterImage,
  type RouterImageKind,
  routerImage,
} from "./router-image.js";
export {
  type DocumentSecrets,
  documentSecrets,
  hasSecretShape,
  isSecretKey,
  looksSecret,
  maskedDocumentText,
  maskSecretsInFreeText,
  maskSecretsInText,
  type PlainSecret,
  plainSecrets,
  SECRET_MASK,
  type SecretField,
  type SecretSpan,
  secretFingerprint,
  secretSpanAt,
} from "./secrets.js";
export {
  type GateKind,
  gateKind,
  type HealthCheckTiming,
  healthCheckTiming,
  literalHealthCheck,
  servingContainer,
} from "./serving.js";
export {
  type Blocked,
  consequencesOfExit,
  type ExitConsequence,
  type StartGraph,
  type StartOrder,
  startOrder,
} from "./startup.js";
export * from "./types.js";
export {
  arr,
  bool,
  deployTime,
  environmentOf,
  essentialValue,
  hasPlaceholder,
  isObject,
  isWholePlaceholder,
  markPlaceholders,
  num,
  option,
  optionsOf,
  PLACEHOLDER_MARK,
  str,
  type TextValue,
  textValue,
  unknownText,
} from "./values.js";
export {
  compareVersions,
  fluentBitForAws,
  formatVersion,
  inRange,
  MUTABLE_TAGS,
  parseVersion,
  type Version,
  type VersionRange,
} from "./versions.js";
