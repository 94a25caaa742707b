/**
 * firelens-preflight as a library. Each part also has its own entry point (`firelens-preflight/taskdef`,
 * `/rules`, `/fix`, `/plan`, `/simulate`, `/diagnose`, `/probe`, `/cdk`); this one re-exports the core
 * that most callers need.
 */
export { applyGate, FixError, type GateOptions, type GateResult, planGate } from "./fix/index.js";
export {
  buildStartupPlan,
  renderPlanDot,
  renderPlanMermaid,
  renderPlanText,
  type StartupPlan,
} from "./plan/index.js";
export { type Finding, lintDocument, type Rule, rules } from "./rules/index.js";
export * from "./taskdef/index.js";
