/** `fix`: put the preflight gate into a task-definition document, losslessly and idempotently. */
export { FixError, type FixErrorKind } from "./errors.js";
export { fargateMemoryFor, fargateMemoryOptions, parseTaskCpu, parseTaskMemory } from "./fargate.js";
export {
  applyGate,
  type ChangeKind,
  fixText,
  type GateChange,
  type GateEdit,
  type GateOptions,
  type GatePlan,
  type GateResult,
  MONITORING_CONFIG,
  MONITORING_SINCE,
  planGate,
  ROUTER_HEALTH_CHECK,
  type TaskGatePlan,
  type TaskGateStatus,
} from "./gate.js";
export * from "./preflight-container.js";
