/**
 * `rehearse`: the task's own router image, configured as the ECS agent would configure it, run under Docker or
 * Podman through its first flush and some traffic, with the project's probe as the gate and a stress set of
 * record shapes, every destination on the machine.
 */
export { type Destination, redirectOutputs } from "./destinations.js";
export { ENGINES, type Engine, type EngineName, findEngine, RehearseSetupError } from "./engine.js";
export { planRehearsal, type RehearsePlan } from "./plan.js";
export { type Outcome, type RehearseReport, renderRehearseText } from "./report.js";
export { defaultSidecarScript, type RehearseOptions, rehearse } from "./run.js";
export { type SidecarPlan, STRESS_SHAPES } from "./sidecar.js";
