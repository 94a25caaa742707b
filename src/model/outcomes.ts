/**
 * What every container and the task end up doing when one container that ran exits, decided the way the ECS
 * agent decides it. Sources: amazon-ecs-agent at tag v1.61.2 (PR #3218, "a task can be stuck in PENDING for ever
 * when container dependencies can never be fulfilled") and later, as read in a recent master
 * (`agent/engine/dependencygraph/graph.go` with its `DependentContainersPullUpfront` check):
 *
 * - `containerOrderingDependenciesIsResolved` (graph.go): START is met only while the dependency is RUNNING
 *   (`IsKnownSteadyState`), CREATE once it was created (a stopped one counts), COMPLETE once it stopped with
 *   any exit code, SUCCESS once it stopped with 0, HEALTHY only while its health is HEALTHY.
 * - `verifyContainerOrderingStatusResolvable` (graph.go): the only *terminal* outcomes, which make
 *   `handleTerminalDependencyError` (agent/engine/task_manager.go) stop the waiter with exit 143 and
 *   `CannotStartContainerError`, are SUCCESS on a container that stopped with a non-zero code, and any
 *   condition on a container that `HasNotAndWillNotStart` (never ran, desired STOPPED). A dependency that
 *   stopped can no longer time out (`hasDependencyTimedOut` is skipped once it stopped), so HEALTHY (and
 *   START) on a stopped container block forever.
 * - `progressTask` (task_manager.go): while a container is blocked on an ordering dependency the agent keeps
 *   polling and never gives up; the task's known status is the earliest of its containers'
 *   (`updateTaskKnownStatus`, agent/api/task/task.go), so one container that waits forever keeps the task
 *   from RUNNING, and nothing stops it unless an essential container stops.
 * - `startContainerTransitions` (task_manager.go) walks the containers in task order and marks a held-back
 *   one desired-STOPPED at once: a waiter listed after it sees it as never starting in the same pass (143), a
 *   waiter listed before it sees it on the next pass as STOPPED with exit 143, which meets COMPLETE and
 *   CREATE, fails SUCCESS, and leaves START and HEALTHY blocked. This container-order rule applies only to
 *   held-back containers: a container that ran is never `HasNotAndWillNotStart`.
 */

import { densified, sparseIndexes } from "./dense.js";

/** What one container does in the scenario. */
export type ContainerOutcome =
  /** The container whose exit the scenario is about, or a gate that fails because of it. */
  | "exits"
  /** Starts as it would anyway (what it waits for was met before, or regardless of, the exit). */
  | "starts"
  /** Waits on a container that stopped (COMPLETE, CREATE) and starts because the stop meets the condition. */
  | "starts-anyway"
  /** Stopped by the agent with exit 143 (CannotStartContainerError) before it ever starts. */
  | "held-back"
  /** Blocked for good: the agent keeps waiting, nothing times out, the container never starts. */
  | "waits-forever"
  /** Had not started when an essential container stopped the task; stopped without exit 143. */
  | "stopped-with-task";

/** What the task does in the scenario. */
export type TaskOutcome =
  /** An essential container stopped (or was held back): the task stops. */
  | "stops"
  /** Every container started or is done, the router too. */
  | "runs"
  /** The task runs, but its non-essential router is gone: logs sent through awsfirelens are lost. */
  | "runs-without-router"
  /** A container waits forever: the task never reaches RUNNING, and nothing stops it. */
  | "hangs";

export interface NodeOutcome {
  readonly node: number;
  readonly outcome: ContainerOutcome;
  /** For `exits` and `held-back` (143). */
  readonly exitCode?: number;
  readonly reason: string;
}

/** What the scenario needs of a startup graph. */
export interface OutcomeGraph {
  readonly nodes: readonly {
    readonly index: number;
    readonly name: string;
    readonly essential: boolean;
    readonly hasHealthCheck: boolean;
  }[];
  readonly edges: readonly { readonly from: number; readonly to: number; readonly condition: string }[];
}

export interface OutcomeRoles {
  /** Node index of the FireLens router. */
  readonly router?: number;
  /**
   * Gates that verify the router (the preflight probe): when the router dies while they run, they exit 1. A
   * gate that verifies nothing (a sleep) would exit 0, so only probes belong here.
   */
  readonly probes?: readonly number[];
}

export interface ExitOutcome {
  readonly node: number;
  readonly exitCode: number;
  /** Every node in index order, the exiting one included. */
  readonly nodes: readonly NodeOutcome[];
  readonly task: TaskOutcome;
}

type Edge = OutcomeGraph["edges"][number];

/** A node's state as the agent sees it when it evaluates a waiter. */
type State =
  // Started and still running (or done with 0, for SUCCESS/COMPLETE on a non-essential).
  | { readonly kind: "running" }
  // Ran, or was held back on an earlier pass, and is STOPPED.
  | { readonly kind: "stopped"; readonly code: number }
  | { readonly kind: "never-starts" } // held back on this pass: HasNotAndWillNotStart
  | { readonly kind: "pending" };

/** What one dependency edge is, as the agent judges it right now. */
export type DependencyVerdict =
  /** Resolved: the waiter may start (`containerOrderingDependenciesIsResolved`). */
  | "met"
  /** Blocked: the agent keeps waiting (and a stopped dependency can no longer time out). */
  | "unmet"
  /** Unresolvable: the waiter is stopped with exit 143 (`handleTerminalDependencyError`). */
  | "terminal";

/** A dependency's state as the agent knows it when it judges a waiter. */
export type DependencyState =
  /** Not started yet, and may still start. */
  | { readonly kind: "pending" }
  /** Never ran and desired STOPPED: `HasNotAndWillNotStart`. */
  | { readonly kind: "never-starts" }
  /** RUNNING (`IsKnownSteadyState`); `healthy` while its health status is HEALTHY. */
  | { readonly kind: "running"; readonly healthy: boolean }
  /** STOPPED with a known exit code, or `null` when none is known. */
  | { readonly kind: "stopped"; readonly code: number | null };

/**
 * The agent's rule for one edge (graph.go `containerOrderingDependenciesIsResolved` and
 * `verifyContainerOrderingStatusResolvable`, amazon-ecs-agent v1.61.2): terminal for SUCCESS on a non-zero exit
 * and for any condition on a container that will never start; START met only while RUNNING; CREATE once it
 * existed; COMPLETE and SUCCESS once stopped with a known code (SUCCESS: 0); HEALTHY only while HEALTHY. The one
 * rule `outcomeOfExit` and simulate both judge edges with.
 */
export function dependencyVerdict(condition: string, dependency: DependencyState): DependencyVerdict {
  switch (dependency.kind) {
    case "never-starts":
      return "terminal";
    case "pending":
      return "unmet";
    case "stopped":
      if (condition === "SUCCESS" && dependency.code !== null)
        return dependency.code === 0 ? "met" : "terminal";
      if (condition === "COMPLETE") return dependency.code !== null ? "met" : "unmet";
      return condition === "CREATE" ? "met" : "unmet";
    case "running":
      if (condition === "START" || condition === "CREATE") return "met";
      return condition === "HEALTHY" && dependency.healthy ? "met" : "unmet";
  }
}

function verdict(edge: Edge, target: State, graph: OutcomeGraph): DependencyVerdict {
  if (target.kind !== "running") return dependencyVerdict(edge.condition, target);
  const node = graph.nodes[edge.to];
  // The scenario's assumptions about a container that runs: one with a health check becomes HEALTHY; one with
  // SUCCESS or COMPLETE waiters finishes with 0, unless it is essential, whose exit stops the task instead.
  if ((edge.condition === "SUCCESS" || edge.condition === "COMPLETE") && node?.essential !== true)
    return dependencyVerdict(edge.condition, { kind: "stopped", code: 0 });
  return dependencyVerdict(edge.condition, { kind: "running", healthy: node?.hasHealthCheck === true });
}

function waitsOf(graph: OutcomeGraph): Edge[][] {
  const out: Edge[][] = Array.from({ length: graph.nodes.length }, () => []);
  for (const e of graph.edges) out[e.from]?.push(e);
  return out;
}

/**
 * The containers that start while `node` runs and before it exits: START and CREATE on it are met, its
 * HEALTHY, SUCCESS and COMPLETE are not (the scenario is an exit before it ever became healthy), and
 * `failing` probes do not finish either.
 */
function startedWhileRunning(
  graph: OutcomeGraph,
  waits: Edge[][],
  node: number,
  failing: ReadonlySet<number>,
): Set<number> {
  // Kahn's algorithm over the edges that starting their target meets; a node with any other edge never starts
  // while `node` runs. Linear in nodes + edges, so a generated task of thousands of containers stays cheap.
  const size = graph.nodes.length;
  const pending = new Int32Array(size);
  const never = new Uint8Array(size);
  const released: number[][] = Array.from({ length: size }, () => []);
  for (const n of graph.nodes) {
    for (const e of waits[n.index] ?? []) {
      const meets =
        e.to === node || failing.has(e.to)
          ? e.condition === "START" || e.condition === "CREATE"
          : verdict(e, { kind: "running" }, graph) === "met";
      if (!meets) never[n.index] = 1;
      else {
        pending[n.index] = (pending[n.index] as number) + 1;
        released[e.to]?.push(n.index);
      }
    }
  }
  const started = new Set<number>([node]);
  const queue = [node];
  for (const n of graph.nodes) {
    if (n.index !== node && pending[n.index] === 0 && never[n.index] === 0) {
      started.add(n.index);
      queue.push(n.index);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    for (const w of released[queue[head] as number] ?? []) {
      pending[w] = (pending[w] as number) - 1;
      if (pending[w] === 0 && never[w] === 0 && !started.has(w)) {
        started.add(w);
        queue.push(w);
      }
    }
  }
  return started;
}

function names(graph: OutcomeGraph, list: Iterable<number>): string {
  return [...list].map((i) => `"${graph.nodes[i]?.name}"`).join(", ");
}

/**
 * What the agent does with every container when `node`, which ran, exits with `exitCode` before what waits on
 * it started. Everything that can start while it runs has started by then (a router crashes on its first
 * flush, and the records come from what started), except what waits for its health or its exit. An essential
 * exit stops the task. When a non-essential router exits, the probes that verify it exit 1 as well
 * (`roles.probes`).
 */
export function outcomeOfExit(
  graph: OutcomeGraph,
  node: number,
  exitCode: number,
  roles: OutcomeRoles = {},
): ExitOutcome {
  // The passes index nodes by position: a reading with a gap (its nodes numbered where they are written) is
  // decided by position and answered in its own indexes.
  const written = sparseIndexes(graph.nodes);
  if (written === undefined) return denseOutcomeOfExit(graph, node, exitCode, roles);
  const { positionOf, edges } = densified(graph.edges, written);
  const at = (index: number) => positionOf.get(index) ?? -1;
  const o = denseOutcomeOfExit(
    { nodes: graph.nodes.map((n, position) => ({ ...n, index: position })), edges },
    at(node),
    exitCode,
    {
      ...(roles.router === undefined ? {} : { router: at(roles.router) }),
      probes: (roles.probes ?? []).map(at).filter((p) => p >= 0),
    },
  );
  return {
    node,
    exitCode,
    task: o.task,
    nodes: o.nodes.map((n) => ({ ...n, node: written[n.node] as number })),
  };
}

/**
 * The waiters the worklist left undecided can never start: they stop with the task when an essential container
 * was held back, else they wait forever (ECS never times a dependsOn out). Apart from denseOutcomeOfExit to keep
 * the fixed-point loop and its aftermath readable on their own.
 */
function settleUnresolved(
  graph: OutcomeGraph,
  waits: Edge[][],
  notStarted: readonly number[],
  essentialHeld: readonly number[],
  result: Map<number, NodeOutcome>,
  stateFor: (waiter: number, target: number) => State,
): void {
  for (const w of notStarted) {
    if (result.has(w)) continue;
    const blockers = (waits[w] ?? []).filter((e) => verdict(e, stateFor(w, e.to), graph) !== "met");
    const on = blockers.map((e) => `"${graph.nodes[e.to]?.name}" ${e.condition}`).join(", ");
    result.set(
      w,
      essentialHeld.length > 0
        ? {
            node: w,
            outcome: "stopped-with-task",
            reason: `still waiting for ${on} when essential ${names(graph, essentialHeld)} stopped the task`,
          }
        : {
            node: w,
            outcome: "waits-forever",
            reason: `waits for ${on}, which can no longer be met and never times out`,
          },
    );
  }
}

function denseOutcomeOfExit(
  graph: OutcomeGraph,
  node: number,
  exitCode: number,
  roles: OutcomeRoles,
): ExitOutcome {
  const waits = waitsOf(graph);
  const exiting = graph.nodes[node];
  const result = new Map<number, NodeOutcome>();
  const failing = new Set<number>(
    node === roles.router
      ? (roles.probes ?? []).filter((g) => g !== node && (waits[g] ?? []).some((e) => e.to === node))
      : [],
  );
  const started = startedWhileRunning(graph, waits, node, failing);
  for (const g of [...failing]) if (!started.has(g)) failing.delete(g);
  const finish = (task: TaskOutcome): ExitOutcome => ({
    node,
    exitCode,
    nodes: graph.nodes.map(
      (n) => result.get(n.index) ?? { node: n.index, outcome: "starts", reason: "starts as planned" },
    ),
    task,
  });
  result.set(node, { node, outcome: "exits", exitCode, reason: `exits ${exitCode}` });
  for (const i of started) {
    if (!result.has(i))
      result.set(i, { node: i, outcome: "starts", reason: `started before "${exiting?.name}" exited` });
  }
  const notStarted = graph.nodes.filter((n) => !result.has(n.index)).map((n) => n.index);
  if (exiting?.essential === true) {
    for (const i of notStarted) {
      result.set(i, {
        node: i,
        outcome: "stopped-with-task",
        reason: `had not started when essential "${exiting.name}" stopped the task`,
      });
    }
    return finish("stops");
  }

  // Probes verify the router: its first flush is theirs, so they fail when it dies (not when it is essential:
  // then the task stops them first).
  for (const g of failing) {
    result.set(g, {
      node: g,
      outcome: "exits",
      exitCode: 1,
      reason: `verifies "${exiting?.name}", sees it die and exits 1`,
    });
  }
  // The agent's passes over the containers in task order, after the exit (task_manager.go
  // startContainerTransitions). A held-back container is desired-STOPPED at once and never started
  // (HasNotAndWillNotStart) for the rest of that pass, so a waiter listed after it is held back in the same
  // pass; a waiter listed before it is evaluated on the next pass, when it is STOPPED with exit 143. Which of
  // the two a waiter sees depends on the order of the two containers only, so a worklist finds the fixed point.
  const state = new Map<number, State>();
  for (const i of started) state.set(i, { kind: "running" });
  state.set(node, { kind: "stopped", code: exitCode });
  for (const g of failing) state.set(g, { kind: "stopped", code: 1 });
  const held = new Set<number>();
  const stateFor = (waiter: number, target: number): State => {
    if (held.has(target)) return target < waiter ? { kind: "never-starts" } : { kind: "stopped", code: 143 };
    return state.get(target) ?? { kind: "pending" };
  };
  const waitedOnBy: number[][] = Array.from({ length: graph.nodes.length }, () => []);
  for (const e of graph.edges) waitedOnBy[e.to]?.push(e.from);
  const queue = [...notStarted];
  for (let head = 0; head < queue.length; head++) {
    const w = queue[head] as number;
    if (result.has(w)) continue;
    const edges = waits[w] ?? [];
    const verdicts = edges.map((e) => verdict(e, stateFor(w, e.to), graph));
    const terminal = edges.find((_, k) => verdicts[k] === "terminal");
    if (terminal !== undefined) {
      const on = graph.nodes[terminal.to]?.name;
      const because = held.has(terminal.to)
        ? terminal.to < w
          ? `"${on}" was held back and will never start (HasNotAndWillNotStart, seen in the same pass: it is listed before)`
          : `"${on}" was held back with exit 143, so ${terminal.condition} can never be met`
        : `"${on}" stopped with a non-zero exit code, so ${terminal.condition} can never be met`;
      held.add(w);
      result.set(w, { node: w, outcome: "held-back", exitCode: 143, reason: because });
    } else if (verdicts.every((v) => v === "met")) {
      const onStopped = edges.filter((e) => stateFor(w, e.to).kind === "stopped").map((e) => e.to);
      state.set(w, { kind: "running" });
      result.set(
        w,
        onStopped.length > 0
          ? {
              node: w,
              outcome: "starts-anyway",
              reason: `starts: the stop of ${names(graph, new Set(onStopped))} meets its COMPLETE or CREATE wait`,
            }
          : { node: w, outcome: "starts", reason: "starts once what it waits for is met" },
      );
    } else continue;
    for (const next of waitedOnBy[w] ?? []) if (!result.has(next)) queue.push(next);
  }
  const essentialHeld = notStarted.filter(
    (i) => result.get(i)?.outcome === "held-back" && graph.nodes[i]?.essential,
  );
  settleUnresolved(graph, waits, notStarted, essentialHeld, result, stateFor);
  if (essentialHeld.length > 0) return finish("stops");
  if (notStarted.some((i) => result.get(i)?.outcome === "waits-forever")) return finish("hangs");
  return finish(node === roles.router ? "runs-without-router" : "runs");
}
