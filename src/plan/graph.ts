/**
 * The startup plan of one task, for people: the task reading's start edges (explicit `dependsOn` plus the ones
 * the ECS agent adds) by container name, the rounds in which the agent starts the containers, what never starts
 * and why, and what a router crash or a failed gate stops. Pure data, so every renderer and `check` show the same.
 */
import {
  type ContainerOutcome,
  consequencesOfExit as consequencesInGraph,
  describeBranches,
  type EdgeSource,
  type FirelensEdges,
  gateKind,
  gateSettingProblems,
  type Role,
  readTask,
  type StartEdge,
  startOrder,
  type TaskOutcome,
  type TaskReading,
  taskBranches,
  taskUnknowns,
  unknownRemedy,
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
  /** A preflight probe (it carries the probe's settings): it exits 1 when the router it verifies dies. */
  readonly probe: boolean;
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

/** One container's outcome in a scenario. */
export interface ContainerFate {
  readonly container: string;
  /**
   * `exits` (the container the scenario is about, or a probe that fails with its router), `starts`,
   * `starts-anyway` (its COMPLETE or CREATE wait is met by the stop), `held-back` (exit 143),
   * `waits-forever`, or `stopped-with-task` (had not started when an essential container stopped the task).
   */
  readonly outcome: ContainerOutcome;
  /** For `exits` and `held-back`. */
  readonly exitCode?: number;
  readonly reason: string;
}

/** One scenario: a container that ran exits with `exitCode` before what waits on it started. */
export interface StopConsequence {
  readonly container: string;
  readonly exitCode: number;
  /** What the task does: `stops`, `runs`, `runs-without-router`, or `hangs` (never reaches RUNNING). */
  readonly task: TaskOutcome;
  /** Whether the whole task stops (`task === "stops"`). */
  readonly taskStops: boolean;
  /** Containers that start (before the exit, or regardless of it). */
  readonly starts: readonly string[];
  /** Containers stopped by the agent with exit 143 because a dependency they wait on can no longer be met. */
  readonly heldBack: readonly string[];
  /** Containers that wait on a stopped one with COMPLETE or CREATE and start because of the stop. */
  readonly startAnyway: readonly string[];
  /** Containers that never start and are never stopped: the task hangs before RUNNING. */
  readonly waitsForever: readonly string[];
  /** Containers that had not started when an essential container stopped the task. */
  readonly stoppedWithTask: readonly string[];
  /** Other containers that exit because of this one (a probe that sees its router die exits 1). */
  readonly alsoExits: readonly { readonly container: string; readonly exitCode: number }[];
  /** Every container's outcome, in task order. */
  readonly outcomes: readonly ContainerFate[];
  readonly explanation: string;
}

/** How the agent starts one reading of a task: a whole task, or one branch of its conditions. */
export interface BranchStartup {
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
  /** What a crash of the router does (exit 139); none when the router never starts. */
  readonly routerCrash: StopConsequence | undefined;
  /**
   * What a failure (exit 1) of each non-essential container something waits on with SUCCESS does (gates, init
   * containers), for those that start at all.
   */
  readonly gateFailures: readonly StopConsequence[];
}

/** The startup of the branches of a task's conditions that start alike, and the conditions that choose them. */
export interface ConditionalStartup extends BranchStartup {
  /** `condition WithRouter is true`: the conditions under which the task starts this way. */
  readonly when: string;
}

export interface StartupPlan extends BranchStartup {
  readonly taskDefinition: string;
  /**
   * The conditions of the branch the startup fields (`nodes` to `gateFailures`) show, when the task's conditions
   * change how it starts;
   * `undefined` when every branch starts alike (or the task has no conditions). `branches` holds every way.
   */
  readonly shows: string | undefined;
  /** Each way the task starts, with the conditions that choose it, when they differ; empty otherwise. */
  readonly branches: readonly ConditionalStartup[];
  /** Values only known at deploy time, which the plan had to leave open. */
  readonly deployTime: readonly string[];
  /**
   * Containers (or the whole list) that cannot be read before deploy in any branch (`container #0`): the
   * startup fields leave them out, so they are the order of what can be read.
   */
  readonly unreadable: readonly string[];
  /** One sentence: whether the app is gated, and what a router crash would do. */
  readonly verdict: string;
}

function quoted(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(", ");
}

/**
 * Whether the app is gated and what a router crash would do, in one sentence, over every branch of the task's
 * conditions (model/branches.ts): one verdict when all branches agree, else each with its conditions. A task
 * whose containers cannot all be read is "unknown", never safe.
 */
export function gateVerdict(task: TaskReading): string {
  const unknowns = taskUnknowns(task.taskDefinition);
  if (unknowns.length > 0) {
    const what = unknowns.map((u) => `${u.what} cannot be read before deploy (${u.reason})`).join("; ");
    return `unknown: ${what}; ${unknowns[0]?.remedy ?? ""}`;
  }
  const all = taskBranches(task.taskDefinition);
  const only = all.branches.length === 1 ? all.branches[0] : undefined;
  if (only !== undefined && only.view === task.taskDefinition) return branchVerdict(task);
  const options = { serviceConnect: task.nodes.some((n) => n.addedByEcs) };
  const groups = new Map<string, number[]>();
  all.branches.forEach((b, i) => {
    const v = branchVerdict(readTask(b.view, options));
    groups.set(v, [...(groups.get(v) ?? []), i]);
  });
  if (groups.size === 1) return [...groups.keys()][0] as string;
  const parts = [...groups].map(([v, holding]) => `when ${describeBranches(all, holding) ?? "always"}: ${v}`);
  return `depends on conditions: ${parts.join("; ")}`;
}

function branchVerdict(task: TaskReading): string {
  if (task.refusal !== undefined)
    return `the ECS agent refuses this task before any container starts (${task.refusal.reason})`;
  const router = task.router;
  if (router === undefined) return "no FireLens router: no router crash can stop this task";
  if (router.essential === false) return nonEssentialRouterVerdict(task, router.label);
  if (router.essential === undefined && task.ungatedApps.length > 0)
    return `unknown: whether router '${router.label}' is essential is only known at deploy time, and ${quoted(task.ungatedApps.map((a) => a.label))} would not wait for a verified log path; ${unknownRemedy(task.taskDefinition)}`;
  const apps = task.apps.filter((a) => a.essential !== false);
  if (apps.length === 0) return `no app logs through '${router.label}'`;
  if (task.ungatedApps.length > 0) {
    return `not gated: if '${router.label}' crashes on its first flush, the task stops after ${quoted(task.ungatedApps.map((a) => a.label))} may already serve requests`;
  }
  if (task.appsOfUnknownEssential.length > 0) {
    return `gated where known: whether ${quoted(task.appsOfUnknownEssential.map((a) => a.label))} is essential is only known at deploy time`;
  }
  // A gate the probe would refuse (FLP209) exits 2 in every task: the apps never start, which is no gate at all.
  for (const gate of task.gates) {
    const problem = gateSettingProblems(gate)[0];
    if (problem !== undefined) {
      return `gate '${gate.label}' never opens: the probe refuses its ${problem.setting} (${problem.problem}), exits 2 in every task, and ${quoted(apps.map((a) => a.label))} never start${apps.length === 1 ? "s" : ""}`;
    }
  }
  return `gated: a crash of '${router.label}' before ${quoted(apps.map((a) => a.label))} start${apps.length === 1 ? "s" : ""} fails the gate and stops the task before it serves; a later crash still stops a serving task`;
}

/**
 * A non-essential router's crash, as the agent decides it (model/outcomes.ts): the apps start anyway and the task
 * runs without it, unless something waits for it HEALTHY or START (a gate, an app) and so never starts: then the
 * task hangs before RUNNING, or stops when what is held back is essential.
 */
function nonEssentialRouterVerdict(task: TaskReading, label: string): string {
  const lost = `router '${label}' is not essential: a crash loses logs but does not stop the task`;
  const router = task.router;
  if (router === undefined || !startOrder(task).stages.some((s) => s.includes(router.index))) return lost;
  const nodes = nodesOf(task);
  const c = toConsequence({ nodes }, consequencesInGraph(task, router.index, 139, rolesOf(nodes)));
  switch (c.task) {
    case "hangs":
      return `router '${label}' is not essential, yet its crash hangs the task before RUNNING: ${quoted(c.waitsForever)} ${c.waitsForever.length === 1 ? "waits" : "wait"} forever for it (a stopped container is never RUNNING or HEALTHY again) and nothing stops the task`;
    case "stops":
      return `router '${label}' is not essential, yet its crash stops the task: ${quoted(c.heldBack)} ${c.heldBack.length === 1 ? "is" : "are"} held back with exit 143 (CannotStartContainerError), and the task stops before it serves`;
    default:
      return lost;
  }
}

function toConsequence(
  plan: Pick<StartupPlan, "nodes">,
  c: ReturnType<typeof consequencesInGraph>,
): StopConsequence {
  const name = (i: number) => plan.nodes[i]?.name ?? `#${i}`;
  return {
    container: name(c.node),
    exitCode: c.exitCode,
    task: c.task,
    taskStops: c.taskStops,
    starts: c.starts.map(name),
    heldBack: c.heldBack.map(name),
    startAnyway: c.startAnyway.map(name),
    waitsForever: c.waitsForever.map(name),
    stoppedWithTask: c.stoppedWithTask.map(name),
    alsoExits: c.alsoExits.map((a) => ({ container: name(a.node), exitCode: a.exitCode })),
    outcomes: c.outcomes.map((o) => ({
      container: name(o.node),
      outcome: o.outcome,
      ...(o.exitCode === undefined ? {} : { exitCode: o.exitCode }),
      reason: o.reason,
    })),
    explanation: c.explanation,
  };
}

/** The router and the probes, as node indexes, for the outcome of an exit. */
function rolesOf(nodes: readonly StartupNode[]): { router?: number; probes: number[] } {
  const router = nodes.find((n) => n.router)?.index;
  return {
    ...(router === undefined ? {} : { router }),
    probes: nodes.filter((n) => n.probe).map((n) => n.index),
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
      // A gate that only sleeps verifies nothing: only the probe fails with its router (the model's gate kind).
      probe: c !== undefined && c.role === "gate" && gateKind(c) === "probe",
    };
  });
}

/** How the agent starts one dense reading (the task itself, or one branch's view), and what its scenarios do. */
function branchStartup(task: TaskReading): BranchStartup {
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
  const plan = { nodes };
  // A scenario is a container that ran and exits: one that never starts (the task refused, or a dependency
  // that can never be met) has none.
  const runs = new Set(order.stages.flat());
  const routerCrash =
    task.router === undefined || !runs.has(task.router.index)
      ? undefined
      : toConsequence(plan, consequencesInGraph(task, task.router.index, 139, rolesOf(nodes)));
  const successTargets = new Set(task.edges.filter((e) => e.condition === "SUCCESS").map((e) => e.to));
  const gateLike = nodes.filter((n) => !n.essential && successTargets.has(n.index) && runs.has(n.index));
  return {
    nodes,
    edges,
    stages: order.stages.map((stage) => stage.map(name)),
    blocked: order.blocked.map((b) => ({ name: name(b.node), reason: b.reason })),
    implicitEdgesDropped: task.firelensEdges.kind === "dropped",
    firelensEdges: task.firelensEdges,
    refusal: task.refusal?.reason,
    routerCrash,
    gateFailures: gateLike.map((g) =>
      toConsequence(plan, consequencesInGraph(task, g.index, 1, rolesOf(nodes))),
    ),
  };
}

/**
 * The startup plan of a task, read from the dense view of each branch of its conditions (model/branches.ts):
 * the written view numbers containers by where they are written, so an element that cannot be read (chosen by a
 * condition, spliced from a module) leaves a gap no start order can be read across. Branches that start alike
 * are one way; when they differ the plan shows the first (every condition true) and lists each way with its
 * conditions. Containers that cannot be read in any branch are left out, and the verdict says "unknown".
 */
export function buildStartupPlan(
  td: TaskDefinitionView,
  options: { serviceConnect?: boolean } = {},
): StartupPlan {
  const task = readTask(td, options);
  const all = taskBranches(td);
  const ways = new Map<string, { startup: BranchStartup; holding: number[] }>();
  all.branches.forEach((b, i) => {
    const startup = branchStartup(b.view === td ? task : readTask(b.view, options));
    // Branches that start alike are one way; a task of one branch needs no comparison (and a large one no copy).
    const key = all.branches.length === 1 ? "" : JSON.stringify(startup);
    const way = ways.get(key);
    if (way === undefined) ways.set(key, { startup, holding: [i] });
    else way.holding.push(i);
  });
  const list = [...ways.values()];
  const first = list[0]?.startup ?? branchStartup(task);
  const branches: ConditionalStartup[] =
    list.length < 2
      ? []
      : list.map((w) => ({ when: describeBranches(all, w.holding) ?? "always", ...w.startup }));
  return {
    taskDefinition: td.id,
    ...first,
    shows: branches[0]?.when,
    branches,
    deployTime: task.deployTime.map((d) => d.what),
    unreadable: taskUnknowns(td)
      .filter((u) => u.kind !== "conditions")
      .map((u) => u.what),
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
      task: "runs",
      taskStops: false,
      starts: [],
      heldBack: [],
      startAnyway: [],
      waitsForever: [],
      stoppedWithTask: [],
      alsoExits: [],
      outcomes: [],
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
  return toConsequence(plan, consequencesInGraph(graph, node.index, exitCode, rolesOf(plan.nodes)));
}
