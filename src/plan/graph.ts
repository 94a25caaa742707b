/**
 * The startup graph of one task, as the ECS agent would build it (../shared/reference/ecs.md §1):
 * explicit `dependsOn` edges plus the implicit START edge from every `awsfirelens` container to the
 * FireLens router, which the agent adds only while the router itself has no `dependsOn`.
 */
import type { ContainerView, TaskDefinitionView } from "../taskdef/model.js";
import { literal } from "../taskdef/values.js";

export type Condition = "START" | "COMPLETE" | "SUCCESS" | "HEALTHY";

export interface StartupNode {
  readonly name: string;
  readonly essential: boolean;
  readonly router: boolean;
  readonly logsThroughFirelens: boolean;
  readonly hasHealthCheck: boolean;
}

export interface StartupEdge {
  /** The container that waits. */
  readonly from: string;
  /** The container it waits for. */
  readonly to: string;
  readonly condition: Condition | string;
  /** Added by the agent, not written in the task definition. */
  readonly implicit: boolean;
}

export interface Blocked {
  readonly name: string;
  readonly reason: string;
}

export interface StartupPlan {
  readonly taskDefinition: string;
  readonly nodes: readonly StartupNode[];
  readonly edges: readonly StartupEdge[];
  /** Containers grouped by the earliest round in which the agent can start them. */
  readonly stages: readonly (readonly string[])[];
  /** Containers that can never start, with why. */
  readonly blocked: readonly Blocked[];
  /** Set when the router has a `dependsOn`, which removes every implicit edge. */
  readonly implicitEdgesDropped: boolean;
}

const CONDITIONS = new Set(["START", "COMPLETE", "SUCCESS", "HEALTHY"]);

function nodeOf(container: ContainerView, index: number): StartupNode {
  const def = container.definition;
  const driver = literal(def.logConfiguration?.logDriver);
  return {
    name: container.name ?? `#${index}`,
    // ECS treats an omitted `essential` as true (ecs.md §2); an unresolved intrinsic is taken as the default too.
    essential: literal(def.essential) !== false,
    router: def.firelensConfiguration !== undefined,
    logsThroughFirelens: driver === "awsfirelens",
    hasHealthCheck: def.healthCheck !== undefined,
  };
}

export function buildStartupPlan(td: TaskDefinitionView): StartupPlan {
  const nodes = td.containers.map(nodeOf);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const edges: StartupEdge[] = [];
  td.containers.forEach((container, i) => {
    const from = nodes[i]?.name ?? `#${i}`;
    for (const dep of container.definition.dependsOn ?? []) {
      const to = literal(dep.containerName);
      if (to === undefined) continue;
      edges.push({ from, to, condition: literal(dep.condition) ?? "?", implicit: false });
    }
  });

  // The agent picks the last container with a FireLens configuration (ecs.md §4, task.go).
  const router = [...nodes].reverse().find((n) => n.router);
  const routerHasDependsOn = router !== undefined && edges.some((e) => e.from === router.name && !e.implicit);
  if (router && !routerHasDependsOn) {
    for (const n of nodes) {
      if (!n.logsThroughFirelens || n.name === router.name) continue;
      if (edges.some((e) => e.from === n.name && e.to === router.name)) continue;
      edges.push({ from: n.name, to: router.name, condition: "START", implicit: true });
    }
  }

  const blocked = new Map<string, string>();
  for (const e of edges) {
    const target = byName.get(e.to);
    if (!target) {
      blocked.set(e.from, `waits for "${e.to}", which is not in the task`);
    } else if (e.from === e.to) {
      blocked.set(e.from, "waits for itself");
    } else if (!CONDITIONS.has(e.condition)) {
      blocked.set(e.from, `waits for "${e.to}" with unknown condition "${e.condition}"`);
    } else if (e.condition === "HEALTHY" && !target.hasHealthCheck) {
      blocked.set(e.from, `waits for "${e.to}" to be HEALTHY, but "${e.to}" has no healthCheck`);
    } else if ((e.condition === "SUCCESS" || e.condition === "COMPLETE") && target.essential) {
      blocked.set(
        e.from,
        `waits for essential "${e.to}" to ${e.condition === "SUCCESS" ? "succeed" : "complete"}; its exit stops the task first`,
      );
    }
  }

  // Layer by longest path; whatever never gets a layer sits on a cycle or behind a blocked container.
  const stageOf = new Map<string, number>();
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const n of nodes) {
      if (stageOf.has(n.name) || blocked.has(n.name)) continue;
      const deps = edges.filter((e) => e.from === n.name);
      if (deps.every((e) => stageOf.has(e.to))) {
        stageOf.set(n.name, Math.max(0, ...deps.map((e) => (stageOf.get(e.to) ?? 0) + 1)));
        progressed = true;
      }
    }
  }
  for (const n of nodes) {
    if (stageOf.has(n.name) || blocked.has(n.name)) continue;
    const waitingOn = edges
      .filter((e) => e.from === n.name && !stageOf.has(e.to))
      .map((e) => e.to)
      .filter((name, i, all) => all.indexOf(name) === i);
    const cyclic = reaches(edges, n.name, n.name);
    blocked.set(
      n.name,
      cyclic
        ? `is on a dependency cycle (${cyclePath(edges, n.name).join(" → ")})`
        : `waits for ${waitingOn.map((w) => `"${w}"`).join(", ")}, which can never start`,
    );
  }

  const stages: string[][] = [];
  for (const [name, stage] of stageOf) {
    while (stages.length <= stage) stages.push([]);
    stages[stage]?.push(name);
  }
  return {
    taskDefinition: td.id,
    nodes,
    edges,
    stages,
    blocked: [...blocked].map(([name, reason]) => ({ name, reason })),
    implicitEdgesDropped: routerHasDependsOn,
  };
}

function reaches(edges: readonly StartupEdge[], from: string, target: string): boolean {
  const seen = new Set<string>();
  const stack = edges.filter((e) => e.from === from).map((e) => e.to);
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (next === target) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    for (const e of edges) if (e.from === next) stack.push(e.to);
  }
  return false;
}

function cyclePath(edges: readonly StartupEdge[], start: string): string[] {
  // Breadth-first for the shortest way back to `start`, so the message names the tightest cycle.
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const e of edges) {
      if (e.from !== current) continue;
      if (e.to === start) {
        const path = [start];
        for (let at: string | undefined = current; at !== undefined && at !== start; at = previous.get(at)) {
          path.splice(1, 0, at);
        }
        return [...path, start];
      }
      if (!previous.has(e.to)) {
        previous.set(e.to, current);
        queue.push(e.to);
      }
    }
  }
  return [start];
}

export interface StopConsequence {
  readonly container: string;
  readonly exitCode: number;
  /** Whether the whole task stops. */
  readonly taskStops: boolean;
  /** Containers stopped by the agent with exit 143 because a dependency they wait on can no longer be met. */
  readonly heldBack: readonly string[];
  readonly explanation: string;
}

/**
 * What the agent does when `container` exits with `exitCode` before its dependents started
 * (ecs.md §1 "Runtime", §2): an essential exit stops the task; a failed SUCCESS dependency stops the
 * dependent with 143 CannotStartContainerError, which stops the task when that dependent is essential.
 */
export function consequencesOfExit(plan: StartupPlan, container: string, exitCode: number): StopConsequence {
  const node = plan.nodes.find((n) => n.name === container);
  if (!node) {
    return {
      container,
      exitCode,
      taskStops: false,
      heldBack: [],
      explanation: `no container "${container}"`,
    };
  }
  if (node.essential) {
    return {
      container,
      exitCode,
      taskStops: true,
      heldBack: [],
      explanation: `"${container}" is essential: its exit stops every container in the task (Essential container in task exited)`,
    };
  }
  const heldBack = new Set<string>();
  const queue = plan.edges
    .filter((e) => e.to === container && e.condition === "SUCCESS" && exitCode !== 0)
    .map((e) => e.from);
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (heldBack.has(name)) continue;
    heldBack.add(name);
    // A container that never starts never reaches START, COMPLETE or SUCCESS either.
    for (const e of plan.edges) if (e.to === name) queue.push(e.from);
  }
  const essentialHeld = [...heldBack].filter((n) => plan.nodes.find((x) => x.name === n)?.essential);
  const taskStops = essentialHeld.length > 0;
  const explanation =
    heldBack.size === 0
      ? `"${container}" is not essential and nothing waits on its success: the task goes on`
      : `${[...heldBack].map((n) => `"${n}"`).join(", ")} stop${heldBack.size === 1 ? "s" : ""} with exit 143 (CannotStartContainerError)` +
        (taskStops
          ? `; ${essentialHeld.map((n) => `"${n}"`).join(", ")} ${essentialHeld.length === 1 ? "is" : "are"} essential, so the task stops before it ever serves`
          : "; none of them is essential, so the task goes on without them");
  return { container, exitCode, taskStops, heldBack: [...heldBack], explanation };
}
