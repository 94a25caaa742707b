/**
 * From a task definition to what the simulator needs to know about each container: its dependencies
 * (explicit and the ones ECS adds), whether it is essential, its health check, and its role (router, gate,
 * load-balancer target). Pure data; compiled once per simulation, shared by every run.
 */
import type { ContainerDefinition, TaskDefinitionView } from "../taskdef/model.js";
import { isIntrinsic } from "../taskdef/values.js";
import { hashString } from "./rng.js";
import { type ContainerTiming, type Scenario, timingOf } from "./scenario.js";

export type Condition = "START" | "COMPLETE" | "SUCCESS" | "HEALTHY";

export interface DependencyPlan {
  /** Index of the target container, or -1 when the name does not exist in the task. */
  readonly target: number;
  readonly targetName: string;
  readonly condition: Condition;
  /** Added by the agent for `awsfirelens` containers (ecs.md §1 "Implicit dependencies"). */
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

export type GateKind = "probe" | "sleep";

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
}

/** A task definition the simulator cannot run (no containers, unknown load-balancer container). */
export class SimulationInputError extends Error {
  override readonly name = "SimulationInputError";
}

const CONDITIONS: ReadonlySet<string> = new Set(["START", "COMPLETE", "SUCCESS", "HEALTHY"]);

function num(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Containers as the view gives them, or a bare list (tests, callers without a loaded document). */
export type ContainerSource = TaskDefinitionView | readonly ContainerDefinition[];

function definitionsOf(source: ContainerSource): readonly ContainerDefinition[] {
  return Array.isArray(source)
    ? (source as readonly ContainerDefinition[])
    : (source as TaskDefinitionView).containers.map((c) => c.definition);
}

/** Compile the containers of a task definition against a scenario. */
export function compileTask(source: ContainerSource, scenario: Scenario): TaskPlan {
  const defs = definitionsOf(source);
  if (defs.length === 0) throw new SimulationInputError("the task definition has no containers to simulate");
  const notes: string[] = [];
  const names = defs.map((d, i) => str(d.name) ?? `container-${i}`);
  const indexOf = new Map<string, number>();
  names.forEach((n, i) => {
    if (!indexOf.has(n)) indexOf.set(n, i);
  });

  // ecs.md §4 / §1 [task.go addFirelensContainerDependency]: the agent takes the last container with a
  // firelensConfiguration as the router.
  let router = -1;
  defs.forEach((d, i) => {
    if (d.firelensConfiguration !== undefined && d.firelensConfiguration !== null) router = i;
  });

  const explicitDeps = defs.map((d) => {
    const list = Array.isArray(d.dependsOn) ? d.dependsOn : [];
    const out: DependencyPlan[] = [];
    for (const dep of list) {
      const targetName = str(dep?.containerName);
      const condition = str(dep?.condition);
      if (targetName === undefined || condition === undefined || !CONDITIONS.has(condition)) {
        notes.push(`ignored a dependsOn entry that is not {containerName, condition} with a known condition`);
        continue;
      }
      out.push({
        target: indexOf.get(targetName) ?? -1,
        targetName,
        condition: condition as Condition,
        implicit: false,
      });
    }
    return out;
  });

  const logsViaRouter = defs.map((d) => str(d.logConfiguration?.logDriver) === "awsfirelens");

  // ecs.md §1 "Implicit dependencies ECS adds" [task.go]: every awsfirelens container gets START on the
  // router unless it already depends on it; none at all when the router itself has a dependsOn.
  const routerHasDeps = router >= 0 && (explicitDeps[router]?.length ?? 0) > 0;
  const implicitRouterDeps = router >= 0 && !routerHasDeps;
  if (router >= 0 && routerHasDeps) {
    notes.push(
      `the router "${names[router]}" has a dependsOn, so the agent adds no implicit START dependency on it (ecs.md §1)`,
    );
  }
  if (implicitRouterDeps) {
    defs.forEach((_, i) => {
      const deps = explicitDeps[i];
      if (i === router || !logsViaRouter[i] || deps === undefined) return;
      if (deps.some((dep) => dep.target === router)) return;
      deps.push({ target: router, targetName: names[router] ?? "", condition: "START", implicit: true });
    });
  }

  const containers: ContainerPlan[] = defs.map((d, i) => {
    const hc = d.healthCheck;
    const hasHealth = hc !== undefined && hc !== null && Array.isArray(hc.command) && hc.command.length > 0;
    const name = names[i] ?? `container-${i}`;
    return {
      name,
      index: i,
      // ecs.md §2: `essential` omitted => true. An intrinsic we cannot resolve is treated the same way.
      essential: isIntrinsic(d.essential) ? true : d.essential !== false,
      deps: explicitDeps[i] ?? [],
      // ecs.md §3 defaults: interval 30, timeout 5, retries 3, startPeriod off.
      health: hasHealth
        ? {
            interval: num(hc.interval) ?? 30,
            timeout: num(hc.timeout) ?? 5,
            retries: num(hc.retries) ?? 3,
            startPeriod: num(hc.startPeriod) ?? 0,
          }
        : null,
      logsViaRouter: logsViaRouter[i] ?? false,
      // ecs.md §1 "Timeouts": stopTimeout default 30 s.
      stopTimeout: num(d.stopTimeout) ?? 30,
      timing: timingOf(scenario, name),
      salt: hashString(name),
    };
  });

  const gate = findGate(containers, router, scenario, notes);
  let gateKind: GateKind | null = null;
  if (gate >= 0) {
    const configured = scenario.gate.kind;
    if (configured !== "auto") gateKind = configured;
    else {
      const env = defs[gate]?.environment;
      const isProbe = Array.isArray(env) && env.some((e) => str(e?.name)?.startsWith("FIRELENS_PREFLIGHT_"));
      gateKind = isProbe ? "probe" : "sleep";
    }
  }

  const target = findTarget(defs, containers, router, gate, scenario);
  return { containers, router, gate, gateKind, target, implicitRouterDeps, notes };
}

/**
 * The gate is the container that something waits on with SUCCESS and that itself waits on the router:
 * DESIGN.md "The gate" (and the seed's `log-router-preflight`).
 */
function findGate(containers: ContainerPlan[], router: number, scenario: Scenario, notes: string[]): number {
  if (scenario.gate.container !== undefined) {
    const i = containers.findIndex((c) => c.name === scenario.gate.container);
    if (i < 0) {
      throw new SimulationInputError(
        `gate.container: no container named "${scenario.gate.container}" in the task definition`,
      );
    }
    return i;
  }
  if (router < 0) return -1;
  const successTargets = new Set<number>();
  for (const c of containers)
    for (const d of c.deps) if (d.condition === "SUCCESS") successTargets.add(d.target);
  const gate = containers.findIndex(
    (c) => successTargets.has(c.index) && c.deps.some((d) => d.target === router && !d.implicit),
  );
  if (gate >= 0 && containers[gate]?.essential) {
    notes.push(
      `the gate "${containers[gate]?.name}" is essential; its normal exit stops the task (ecs.md §2)`,
    );
  }
  return gate;
}

function findTarget(
  defs: readonly ContainerDefinition[],
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
  const candidates = containers.filter((c) => c.index !== router && c.index !== gate && c.essential);
  const withPorts = candidates.find((c) => {
    const pm = defs[c.index]?.portMappings;
    return Array.isArray(pm) && pm.length > 0;
  });
  const viaRouter = candidates.find((c) => c.logsViaRouter);
  return (withPorts ?? viaRouter ?? candidates[0] ?? containers[0])?.index ?? 0;
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
  };
}
