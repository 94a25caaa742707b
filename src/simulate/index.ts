/**
 * `firelens-preflight/simulate`: the deploy simulator's library API (README.md, `simulate`).
 * Nothing here prints or exits; the CLI renders the result.
 */

import { runVariantsAsync } from "./async.js";
import { runVariants, type SimulateOptions, type SimulationResult, variantOf } from "./montecarlo.js";
import type { ContainerSource } from "./plan.js";
import type { Scenario } from "./scenario.js";

export type { ContainerTrace, RunResult, RunTrace, TargetState, TaskTrace } from "./engine.js";
export { circuitBreakerThreshold, DeploymentSimulator } from "./engine.js";
export type {
  Histogram,
  PlanSummary,
  SimulateOptions,
  SimulationResult,
  Stats,
  VariantResult,
} from "./montecarlo.js";
export type { ContainerSource, TaskPlan } from "./plan.js";
export { compileTask, previousVersionPlan, SimulationInputError } from "./plan.js";
export type { Distribution, Scenario, ScenarioInput, ScenarioIssue } from "./scenario.js";
export {
  defaultScenario,
  loadScenario,
  readScenarioFile,
  ScenarioError,
  scenarioFromData,
} from "./scenario.js";
export { SCENARIO_LIMITS } from "./yaml-limits.js";

/** Simulate `runs` deployments of one task definition (a loaded view, or its container list). */
export function simulate(
  view: ContainerSource,
  scenario: Scenario,
  options: SimulateOptions = {},
): SimulationResult {
  return runVariants([variantOf("given", view, scenario)], scenario, options);
}

/**
 * The same scenario and seeds on two task definitions: as given and gated (fix's output, in memory).
 * Run i of both sides draws the same per-task values, so differences come from the task definitions.
 */
export function simulateCompare(
  given: ContainerSource,
  gated: ContainerSource,
  scenario: Scenario,
  options: SimulateOptions = {},
): SimulationResult {
  return runVariants(
    [variantOf("given", given, scenario), variantOf("gated", gated, scenario)],
    scenario,
    options,
  );
}

export { headline } from "./headline.js";
export { renderReport, renderSummary } from "./render.js";

/**
 * `simulate` / `simulateCompare` for long runs: yields between chunks (progress, `signal` to stop with
 * partial results) and runs on `workers` threads when asked. Pass one view, or two to compare.
 */
export function simulateAsync(
  views: readonly [ContainerSource] | readonly [ContainerSource, ContainerSource],
  scenario: Scenario,
  options: SimulateOptions = {},
): Promise<SimulationResult> {
  const labels = ["given", "gated"];
  return runVariantsAsync(
    views.map((v, i) => variantOf(labels[i] ?? `variant-${i}`, v, scenario)),
    scenario,
    options,
  );
}
