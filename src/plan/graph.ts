/**
 * The startup plan of one task, for people: the task reading's start edges (explicit `dependsOn` plus the ones
 * the ECS agent adds) by container name, the rounds in which the agent starts the containers, what never starts
 * and why, and what a router crash or a failed gate stops. Pure data, so every renderer and `check` show the same.
 */
import {
  consequencesOfExit as consequencesInGraph,
  type EdgeSource,
  type FirelensEdges,
  type Role,
  readTask,
  type StartEdge,
  startOrder,
  type TaskReading,
} from "../model/index.js";
import type { TaskDefinitionView } from "../taskdef/model.js";

export type Condition = "START" | "COMPLETE" | "SUCCESS" | "HEALTHY";

export interface StartupNode {
  readonly name: string;
  readonly index: number;
  readonly essential: boolean;
  /** The container's role in the gate; `ecs` for a container ECS adds (the Service Connect proxy). */
  readonly role: Role | "ecs";
  readonly router: boolean;
  readonly logsThroughFirelens: boolean;
  readonly hasHealthCheck: boolean;
}

export interface StartupEdge {
  /** The container that waits. */
  readonly from: string;
  /** The container it waits for. */
  readonly to: string;
  readonly condition: Condition | "CREATE" | string;
  /** Added by the agent, not written in the task definition. */
  readonly implicit: boolean;
  readonly source: EdgeSource;
}

export interface Blocked {
  readonly name: string;
  readonly reason: string;
}

export interface StopConsequence {
  readonly container: string;
  readonly exitCode: number;
  /** Whether the whole task stops. */
  readonly taskStops: boolean;
  /** Containers stopped by the agent with exit 143 because a dependency they wait on can no longer be met. */
  readonly heldBack: readonly string[];
  /** Containers that wait on it and start anyway. */
  readonly startAnyway: readonly string[];
  readonly explanation: string;
}

export interface StartupPlan {
  readonly taskDefinition: string;
  readonly nodes: readonly StartupNode[];
  readonly edges: readonly StartupEdge[];
  /** Containers grouped by the earliest round in which the agent can start them. */
  readonly stages: readonly (readonly string[])[];
  /** Containers that can never start, with why. */
  readonly blocked: readonly Blocked[];
  /** Set when the router has start dependencies of its own, which removes every implicit FireLens edge. */
  readonly implicitEdgesDropped: boolean;
  readonly firelensEdges: FirelensEdges;
  /** Why the ECS agent would refuse the whole task, when it would. */
  readonly refusal: string | undefined;
  /** What a crash of the router does (exit 139). */
  readonly routerCrash: StopConsequence | undefined;
  /** What a failure (exit 1) of each non-essential container something waits on with SUCCESS does: gates, init containers. */
  readonly gateFailures: readonly StopConsequence[];
  /** Values only known at deploy time, which the plan had to leave open. */
  readonly deployTime: readonly string[];
  /** One sentence: whether the app is gated, and what a router crash would do. */
  readonly verdict: string;
}

function quoted(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(", ");
}

/** Whether the app is gated and what a router crash would do, in one sentence. */
export function gateVerdict(task: TaskReading): string {
  if (task.refusal !== undefined)
    return `the ECS agent refuses this task before any container starts (${task.refusal.reason})`;
  const router = task.router;
  if (router === undefined) return "no FireLens router: no router crash can stop this task";
  if (router.essential === false)
    return `router '${router.label}' is not essential: a crash loses logs but does not stop the task`;
  const apps = task.apps.filter((a) => a.essential !== false);
  if (apps.length === 0) return `no app logs through '${router.label}'`;
  if (task.ungatedApps.length > 0) {
    return `not gated: if '${router.label}' crashes on its first flush, the task stops after ${quoted(task.ungatedApps.map((a) => a.label))} may already serve requests`;
  }
  if (task.appsOfUnknownEssential.length > 0) {
    return `gated where known: whether ${quoted(task.appsOfUnknownEssential.map((a) => a.label))} is essential is only known at deploy time`;
  }
  return `gated: a crash of '${router.label}' before ${quoted(apps.map((a) => a.label))} start${apps.length === 1 ? "s" : ""} fails the gate and stops the task before it serves; a later crash still stops a serving task`;
}

function toConsequence(
  plan: Pick<StartupPlan, "nodes">,
  c: ReturnType<typeof consequencesInGraph>,
): StopConsequence {
  const name = (i: number) => plan.nodes[i]?.name ?? `#${i}`;
  return {
    container: name(c.node),
    exitCode: c.exitCode,
    taskStops: c.taskStops,
    heldBack: c.heldBack.map(name),
    startAnyway: c.startAnyway.map(name),
    explanation: c.explanation,
  };
}

function nodesOf(task: TaskReading): StartupNode[] {
  return task.nodes.map((n) => {
    const c = task.containers[n.index];
    return {
      name: n.name,
      index: n.index,
      essential: n.essential,
      role: c === undefined ? "ecs" : c.role,
      router: c !== undefined && c === task.router,
      logsThroughFirelens: c?.logsThroughFirelens ?? false,
      hasHealthCheck: n.hasHealthCheck,
    };
  });
}

export function buildStartupPlan(
  td: TaskDefinitionView,
  options: { serviceConnect?: boolean } = {},
): StartupPlan {
  const task = readTask(td, options);
  const nodes = nodesOf(task);
  const name = (i: number) => nodes[i]?.name ?? `#${i}`;
  const edges = task.edges.map(
    (e: StartEdge): StartupEdge => ({
      from: name(e.from),
      to: name(e.to),
      condition: e.condition,
      implicit: e.implicit,
      source: e.source,
    }),
  );
  const order = startOrder(task);
  const plan = {
    nodes,
    edges,
  };
  const routerCrash =
    task.router === undefined
      ? undefined
      : toConsequence(plan, consequencesInGraph(task, task.router.index, 139));
  const gateLike = nodes.filter(
    (n) => !n.essential && task.edges.some((e) => e.to === n.index && e.condition === "SUCCESS"),
  );
  return {
    taskDefinition: td.id,
    nodes,
    edges,
    stages: order.stages.map((stage) => stage.map(name)),
    blocked: order.blocked.map((b) => ({ name: name(b.node), reason: b.reason })),
    implicitEdgesDropped: task.firelensEdges.kind === "dropped",
    firelensEdges: task.firelensEdges,
    refusal: task.refusal?.reason,
    routerCrash,
    gateFailures: gateLike.map((g) => toConsequence(plan, consequencesInGraph(task, g.index, 1))),
    deployTime: task.deployTime.map((d) => d.what),
    verdict: gateVerdict(task),
  };
}

/**
 * What the agent does when `container` exits with `exitCode` before its dependents started: an essential exit
 * stops the task; otherwise the containers that can no longer start are stopped with exit 143, and the task stops
 * when one of them is essential.
 */
export function consequencesOfExit(plan: StartupPlan, container: string, exitCode: number): StopConsequence {
  const node = plan.nodes.find((n) => n.name === container);
  if (node === undefined) {
    return {
      container,
      exitCode,
      taskStops: false,
      heldBack: [],
      startAnyway: [],
      explanation: `no container "${container}"`,
    };
  }
  const index = new Map(plan.nodes.map((n) => [n.name, n.index]));
  const graph = {
    nodes: plan.nodes.map((n) => ({ ...n, addedByEcs: n.role === "ecs" })),
    edges: plan.edges.map((e) => ({
      from: index.get(e.from) ?? -1,
      to: index.get(e.to) ?? -1,
      condition: e.condition,
    })),
  };
  return toConsequence(plan, consequencesInGraph(graph, node.index, exitCode));
}
