/** `fix`: put the preflight gate into a task-definition document, losslessly and idempotently. */
export type { ChangeKind, GateChange, GateEdit } from "./context.js";
export { gateDiff } from "./diff.js";
export { FixError, type FixErrorKind } from "./errors.js";
export { fargateMemoryFor, fargateMemoryOptions, parseTaskCpu, parseTaskMemory } from "./fargate.js";
export {
  applyGate,
  fixText,
  type GatePlan,
  type GateResult,
  planGate,
  type TaskGatePlan,
  type TaskGateStatus,
} from "./gate.js";
export { copyableLogConfiguration } from "./log-config.js";
export type { GateOptions } from "./options.js";
