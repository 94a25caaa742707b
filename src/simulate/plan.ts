/**
 * From a task definition to what the simulator needs to know about each container: its dependencies
 * (explicit and the ones ECS adds), whether it is essential, its health check, and its role (router, gate,
 * load-balancer target). Pure data; compiled once per simulation, shared by every run.
 */
import {
  CONDITIONS,
  type FirstFlushCrash,
  type GateKind,
  gateKind,
  healthCheckTiming,
  knownFirstFlushCrashes,
  literalHealthCheck,
  readTask,
  servingContainer,
  type TaskReading,
} from "../model/index.js";
import type { ContainerDefinition, TaskDefinitionView } from "../taskdef/model.js";
import { hashString } from "./rng.js";
import { type ContainerTiming, type Scenario, timingOf } from "./scenario.js";

/** The dependsOn conditions, and CREATE: the agent's implicit wait of a `volumesFrom` container on its source. */
export type Condition = "START" | "COMPLETE" | "SUCCESS" | "HEALTHY" | "CREATE";

export interface DependencyPlan {
  /** Index of the target container, or -1 when the name does not exist in the task. */
  readonly target: number;
  readonly targetName: string;
  readonly condition: Condition;
  /** Added by the agent rather than written (the task reading's implicit edges: FireLens, links, volumesFrom). */
  readonly implicit: boolean;
}

export interface ContainerHealthPlan {
  readonly interval: number;
  readonly timeout: number;
  readonly retries: number;
  readonly startPeriod: number;
}

export interface ContainerPlan {
  readonly name: string;
  readonly index: number;
  readonly essential: boolean;
  readonly deps: readonly DependencyPlan[];
  readonly health: ContainerHealthPlan | null;
  /** Its stdout/stderr go through the FireLens router (`logConfiguration.logDriver: awsfirelens`). */
  readonly logsViaRouter: boolean;
  /** Seconds between SIGTERM and SIGKILL. */
  readonly stopTimeout: number;
  readonly timing: ContainerTiming;
  /** Seed salt for this container's random draws, so the same container draws the same times in both variants. */
  readonly salt: number;
}

export type { GateKind };

export interface TaskPlan {
  readonly containers: readonly ContainerPlan[];
  /** Index of the FireLens router, or -1. */
  readonly router: number;
  /** Index of the preflight gate, or -1. */
  readonly gate: number;
  readonly gateKind: GateKind | null;
  /** Index of the container the load balancer sends traffic to. */
  readonly target: number;
  /** Whether the agent added implicit START dependencies on the router. */
  readonly implicitRouterDeps: boolean;
  /** Facts about the compilation worth telling the user (ignored fields, guesses). */
  readonly notes: readonly string[];
  /** Routers with a known crash on startup or the first flush the task reaches (the model's, as FLP202's). */
  readonly knownFirstFlushCrashes: readonly FirstFlushCrash[];
}

/** A task definition the simulator cannot run (no containers, unknown load-balancer container). */
export class SimulationInputError extends Error {
  override readonly name = "SimulationInputError";
}

function num(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** Containers as the view gives them, or a bare list (tests, callers without a loaded document). */
export type ContainerSource = TaskDefinitionView | readonly ContainerDefinition[];

function viewOf(source: ContainerSource): TaskDefinitionView {
  if (!Array.isArray(source)) return source as TaskDefinitionView;
  const defs = source as readonly ContainerDefinition[];
  return {
    id: "task definition",
    path: [],
    containersKey: null,
    taskDefinition: { containerDefinitions: [...defs] },
    containers: defs.map((definition, index) => ({
      name: typeof definition.name === "string" ? definition.name : undefined,
      index,
      definition,
      path: [index],
    })),
  };
}

const SIMULATED: ReadonlySet<string> = new Set([...CONDITIONS, "CREATE"]);

/** The start edges of one container as the simulator runs them (the task reading's, Service Connect aside). */
function dependenciesOf(
  task: TaskReading,
  index: number,
  names: readonly string[],
  notes: string[],
): DependencyPlan[] {
  const out: DependencyPlan[] = [];
  for (const e of task.edges) {
    if (e.from !== index) continue;
    if (e.source === "service-connect") continue;
    // volumesFrom waits for the source's creation (CREATE), kept as such: unlike START, a source that has
    // stopped still meets it.
    const condition = e.condition;
    if (!SIMULATED.has(condition)) {
      notes.push(`ignored a dependsOn entry with condition "${condition}", which ECS does not know`);
      continue;
    }
    out.push({
      target: e.to,
      targetName: names[e.to] ?? "",
      condition: condition as Condition,
      implicit: e.implicit,
    });
  }
  return out;
}

/** Compile the containers of a task definition against a scenario, from the task reading every part shares. */
export function compileTask(source: ContainerSource, scenario: Scenario): TaskPlan {
  const task = readTask(viewOf(source));
  if (task.containers.length === 0)
    throw new SimulationInputError("the task definition has no containers to simulate");
  if (task.refusal !== undefined) {
    throw new SimulationInputError(
      `the ECS agent would refuse this task before starting any container: ${task.refusal.reason}`,
    );
  }
  const notes: string[] = [];
  const names = task.containers.map((c) => c.name ?? `container-${c.index}`);
  if (task.firelensEdges.kind === "dropped") {
    notes.push(
      `the router "${task.router?.label}" has start dependencies of its own (${task.firelensEdges.because.join(", ")}), so the agent adds no implicit START dependency on it`,
    );
  }
  if (task.nodes.length > task.containers.length) {
    notes.push("Service Connect's proxy container is not simulated; its HEALTHY wait is left out");
  }
  const containers: ContainerPlan[] = task.containers.map((c) => {
    const name = names[c.index] ?? `container-${c.index}`;
    if (c.hasHealthCheck && !literalHealthCheck(c))
      notes.push(
        `the health check of "${name}" is chosen by a condition or only known at deploy time; simulated as present (ECS's default timings where none is written): where it is absent, a HEALTHY wait on "${name}" never ends (lint says in which branch)`,
      );
    if (c.essential === undefined)
      notes.push(
        `whether "${name}" is essential is only known at deploy time; simulated as essential (ECS's default)`,
      );
    return {
      name,
      index: c.index,
      essential: c.essential !== false,
      deps: dependenciesOf(task, c.index, names, notes),
      // The model's reading (ECS defaults for what is not written literally), as plan and check read it.
      health: healthCheckTiming(c),
      logsViaRouter: c.logsThroughFirelens,
      // ECS's default stopTimeout: 30 s.
      stopTimeout: num(c.definition.stopTimeout) ?? 30,
      timing: timingOf(scenario, name),
      salt: hashString(name),
    };
  });
  const router = task.router?.index ?? -1;
  const gate = findGate(task, containers, scenario, notes);
  let kind: GateKind | null = null;
  if (gate >= 0) {
    const configured = scenario.gate.kind;
    if (configured !== "auto") kind = configured;
    else {
      // The model's reading: the probe's settings by variable or by flag.
      const reading = task.containers[gate];
      kind = reading === undefined ? "sleep" : gateKind(reading);
    }
  }
  const target = findTarget(task, containers, router, gate, scenario);
  return {
    containers,
    router,
    gate,
    gateKind: kind,
    target,
    implicitRouterDeps: task.firelensEdges.kind === "added",
    notes,
    knownFirstFlushCrashes: knownFirstFlushCrashes(task),
  };
}

/** The gate: the scenario's, else the task reading's (the first one something waits on with SUCCESS). */
function findGate(
  task: TaskReading,
  containers: ContainerPlan[],
  scenario: Scenario,
  notes: string[],
): number {
  if (scenario.gate.container !== undefined) {
    const i = containers.findIndex((c) => c.name === scenario.gate.container);
    if (i < 0) {
      throw new SimulationInputError(
        `gate.container: no container named "${scenario.gate.container}" in the task definition`,
      );
    }
    return i;
  }
  const waitedOn = task.gates.find((g) =>
    task.edges.some((e) => e.to === g.index && e.condition === "SUCCESS"),
  );
  const gate = (waitedOn ?? task.gates[0])?.index ?? -1;
  if (gate >= 0 && containers[gate]?.essential) {
    notes.push(`the gate "${containers[gate]?.name}" is essential; its normal exit stops the task`);
  }
  return gate;
}

function findTarget(
  task: TaskReading,
  containers: ContainerPlan[],
  router: number,
  gate: number,
  scenario: Scenario,
): number {
  const wanted = scenario.loadBalancer.container;
  if (wanted !== undefined) {
    const i = containers.findIndex((c) => c.name === wanted);
    if (i < 0) {
      throw new SimulationInputError(
        `loadBalancer.container: no container named "${wanted}" in the task definition`,
      );
    }
    return i;
  }
  // The model names the serving container (an essential app, never the router, a gate or the agent).
  const serving = servingContainer(task);
  if (serving !== undefined) return serving.index;
  const rest = containers.filter((c) => c.index !== router && c.index !== gate);
  return (rest.find((c) => c.essential) ?? rest[0] ?? containers[0])?.index ?? 0;
}

/** The task definition being rolled back to: one container that starts and serves (scenario.previousVersion). */
export function previousVersionPlan(scenario: Scenario): TaskPlan {
  return {
    containers: [
      {
        name: "previous",
        index: 0,
        essential: true,
        deps: [],
        health: null,
        logsViaRouter: false,
        stopTimeout: 30,
        timing: {
          pullSeconds: { kind: "constant", value: 0 },
          bootSeconds: scenario.previousVersion.startSeconds,
          sigtermExitSeconds: { kind: "constant", value: 1 },
          firstLog: "never",
        },
        salt: hashString("previous"),
      },
    ],
    router: -1,
    gate: -1,
    gateKind: null,
    target: 0,
    implicitRouterDeps: false,
    notes: [],
    knownFirstFlushCrashes: [],
  };
}
