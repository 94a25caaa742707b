/**
 * `diagnose`: what stopped a task, from `aws ecs describe-tasks` output (and optionally describe-services
 * output and the task definition), and which lint rule or `fix` would have prevented it.
 */
export { diagnose, diagnoseTask } from "./diagnose.js";
export { DiagnoseInputError, type DiagnoseInputErrorKind, EXPECTED_DIAGNOSE_INPUT } from "./errors.js";
export { taskDefinitionFor, taskIdOf } from "./facts.js";
export {
  loadDiagnoseInput,
  mergeDiagnoseInputs,
  parseDiagnoseInput,
} from "./input.js";
export {
  DIAGNOSIS_JSON_VERSION,
  renderDiagnosisJson,
  renderDiagnosisText,
  type TextRenderOptions,
} from "./render.js";
export { type ClassifiedEvent, classifyEvent, diagnoseService, type EventKind } from "./services.js";
export { formatExit, isCrashSignature, probeReasonOf, signalOf } from "./signals.js";
export type * from "./types.js";
