import { DeploymentSimulator, type RunTrace, type TaskTrace } from "../../src/simulate/engine.js";
import { compileTask, previousVersionPlan, type TaskPlan } from "../../src/simulate/plan.js";
import {
  defaultScenario,
  loadScenario,
  type Scenario,
  ScenarioError,
  type ScenarioInput,
} from "../../src/simulate/scenario.js";
import type { ContainerDefinition } from "../../src/taskdef/model.js";

/**
 * A scenario with fixed timings, so a transition's time can be asserted exactly: one task, images pulled
 * instantly, 1 s boots, 1 s SIGTERM exits, fast ALB checks, no traffic unless asked.
 */
export function fixedScenario(overrides: ScenarioInput = {}): Scenario {
  const base: ScenarioInput = {
    service: { desiredCount: 1 },
    loadBalancer: {
      healthCheck: { intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 },
      deregistrationDelaySeconds: 10,
      deregistrationLagSeconds: 1,
      registrationLagSeconds: 0,
    },
    traffic: { requestsPerSecond: 0, durationSeconds: 600 },
    containers: { default: { pullSeconds: 0, bootSeconds: 1, sigtermExitSeconds: 1, firstLog: "never" } },
    previousVersion: { startSeconds: 5 },
    gate: { probeVerdictSeconds: 2, detectionSeconds: 0.1 },
  };
  return defaultScenario(merge(base, overrides) as ScenarioInput);
}

function merge(a: unknown, b: unknown): unknown {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null || Array.isArray(b))
    return b;
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = merge(out[k], v);
  return out;
}

export interface One {
  readonly plan: TaskPlan;
  readonly trace: RunTrace;
  /** The first new-version task. */
  readonly task: TaskTrace;
  readonly newTasks: readonly TaskTrace[];
  container(name: string, task?: TaskTrace): NonNullable<TaskTrace["containers"][number]>;
}

export function runOnce(containers: ContainerDefinition[], scenario: Scenario, seed = 1, run = 0): One {
  const plan = compileTask(containers, scenario);
  const sim = new DeploymentSimulator(plan, previousVersionPlan(scenario), scenario);
  const trace = sim.traceRun(seed, run);
  const newTasks = trace.tasks.filter((t) => t.version === "new");
  const task = newTasks[0];
  if (task === undefined) throw new Error("no new task was launched");
  return {
    plan,
    trace,
    task,
    newTasks,
    container(name, t = task) {
      const c = t.containers.find((x) => x.name === name);
      if (c === undefined) throw new Error(`no container ${name}`);
      return c;
    },
  };
}

/** When the target first entered `state`, or undefined. */
export function targetAt(task: TaskTrace, state: string): number | undefined {
  return task.target.find((s) => s.state === state)?.t;
}

/** The ScenarioError that loading `text` (as s.yaml) throws; fails when it throws none. */
export function scenarioErrorOf(text: string): ScenarioError {
  try {
    loadScenario(text, "s.yaml");
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error("expected a ScenarioError");
}
