/**
 * How the agent starts a task's containers, read from the start edges: in which rounds they can start, which
 * never can and why, and what an early exit of one container does to the others.
 */

import { densified, sparseIndexes } from "./dense.js";
import {
  type ContainerOutcome,
  type NodeOutcome,
  type OutcomeRoles,
  outcomeOfExit,
  type TaskOutcome,
} from "./outcomes.js";
import type { StartEdge, StartNode, TaskReading } from "./types.js";

/** The startup graph alone (a task reading is one). */
export interface StartGraph {
  readonly nodes: readonly StartNode[];
  readonly edges: readonly Pick<StartEdge, "from" | "to" | "condition">[];
}

export interface Blocked {
  readonly node: number;
  readonly reason: string;
}

export interface StartOrder {
  /** Node indexes grouped by the earliest round in which the agent can start them. */
  readonly stages: readonly (readonly number[])[];
  /** Nodes that can never start, with why (every node when the agent refuses the task). */
  readonly blocked: readonly Blocked[];
}

function outgoing(size: number, edges: readonly StartEdge[]): StartEdge[][] {
  const out: StartEdge[][] = Array.from({ length: size }, () => []);
  for (const e of edges) out[e.from]?.push(e);
  return out;
}

/** Why an edge can never be met, or `undefined` when it can. */
function unmetBecause(edge: StartEdge, nodes: readonly StartNode[]): string | undefined {
  const target = nodes[edge.to];
  if (target === undefined) return undefined;
  if ((edge.condition === "SUCCESS" || edge.condition === "COMPLETE") && target.essential) {
    return `waits for essential "${target.name}" to ${edge.condition === "SUCCESS" ? "succeed" : "complete"}; its exit stops the task first`;
  }
  return undefined;
}

/**
 * Rounds by longest path (Kahn's algorithm, linear in nodes + edges); what never gets a round is blocked. Node
 * indexes are read as written: a reading with a gap is ordered by position and answered in its own indexes.
 */
export function startOrder(reading: Pick<TaskReading, "nodes" | "edges" | "refusal">): StartOrder {
  const written = sparseIndexes(reading.nodes);
  if (written === undefined) return denseStartOrder(reading);
  const { edges } = densified(reading.edges, written);
  const order = denseStartOrder({
    nodes: reading.nodes.map((n, position) => ({ ...n, index: position })),
    edges,
    refusal: reading.refusal,
  });
  const back = (position: number) => written[position] as number;
  return {
    stages: order.stages.map((stage) => stage.map(back)),
    blocked: order.blocked.map((b) => ({ node: back(b.node), reason: b.reason })),
  };
}

function denseStartOrder(reading: Pick<TaskReading, "nodes" | "edges" | "refusal">): StartOrder {
  const { nodes, edges, refusal } = reading;
  if (refusal !== undefined) {
    const reason = `the ECS agent refuses the task, so no container starts: ${refusal.reason}`;
    return { stages: [], blocked: nodes.map((n) => ({ node: n.index, reason })) };
  }
  const out = outgoing(nodes.length, edges);
  // A CREATE waiter (volumesFrom) is released once its source is created, a step before the source's START
  // waiters (`containerOrderingDependenciesIsResolved`, agent/engine/dependencygraph/graph.go): same round.
  const waiters: [number, number][][] = Array.from({ length: nodes.length }, () => []);
  const pending = new Int32Array(nodes.length);
  const blockedReason = new Map<number, string>();
  for (const e of edges) {
    const why = unmetBecause(e, nodes);
    if (why !== undefined && !blockedReason.has(e.from)) blockedReason.set(e.from, why);
    waiters[e.to]?.push([e.from, e.condition === "CREATE" ? 0 : 1]);
    pending[e.from] = (pending[e.from] ?? 0) + 1;
  }
  const stageOf = new Int32Array(nodes.length).fill(-1);
  const queue: number[] = [];
  for (const n of nodes) {
    if (pending[n.index] === 0 && !blockedReason.has(n.index)) {
      stageOf[n.index] = 0;
      queue.push(n.index);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head] as number;
    for (const [w, step] of waiters[v] ?? []) {
      stageOf[w] = Math.max(stageOf[w] as number, (stageOf[v] as number) + step);
      pending[w] = (pending[w] as number) - 1;
      if (pending[w] === 0 && !blockedReason.has(w)) queue.push(w);
    }
  }
  const started = new Set(queue);
  // Whatever never got a round waits on a blocked node or sits on a cycle (cycles are refusals, handled above).
  for (const n of nodes) {
    if (stageOf[n.index] !== -1 || blockedReason.has(n.index)) continue;
    const waitingOn = [...new Set((out[n.index] ?? []).filter((e) => !started.has(e.to)).map((e) => e.to))];
    blockedReason.set(
      n.index,
      `waits for ${waitingOn.map((i) => `"${nodes[i]?.name}"`).join(", ")}, which can never start`,
    );
  }
  const stages: number[][] = [];
  for (const n of nodes) {
    const s = stageOf[n.index] as number;
    if (s < 0 || blockedReason.has(n.index)) continue;
    while (stages.length <= s) stages.push([]);
    stages[s]?.push(n.index);
  }
  return {
    stages,
    blocked: [...blockedReason].sort((a, b) => a[0] - b[0]).map(([node, reason]) => ({ node, reason })),
  };
}

export interface ExitConsequence {
  readonly node: number;
  readonly exitCode: number;
  /** What the task does: stops, runs, runs without its router, or hangs before RUNNING. */
  readonly task: TaskOutcome;
  /** The whole task stops (`task === "stops"`). */
  readonly taskStops: boolean;
  /** Every node's outcome, in index order (the exiting one is `exits`). */
  readonly outcomes: readonly NodeOutcome[];
  /** Containers that start (before the exit, or regardless of it). */
  readonly starts: readonly number[];
  /** Containers the agent stops with exit 143 (CannotStartContainerError) before they ever start. */
  readonly heldBack: readonly number[];
  /** Containers that wait on a stopped one with COMPLETE or CREATE and start because of the stop. */
  readonly startAnyway: readonly number[];
  /** Containers that can never start and are never stopped: the task hangs before RUNNING. */
  readonly waitsForever: readonly number[];
  /** Containers that had not started when an essential container stopped the task. */
  readonly stoppedWithTask: readonly number[];
  /** Other containers that exit because of this one (a probe that sees its router die exits 1). */
  readonly alsoExits: readonly { readonly node: number; readonly exitCode: number }[];
  readonly explanation: string;
}

function only(outcomes: readonly NodeOutcome[], kind: ContainerOutcome, except?: number): number[] {
  return outcomes.filter((o) => o.outcome === kind && o.node !== except).map((o) => o.node);
}

function sentence(graph: StartGraph, c: Omit<ExitConsequence, "explanation">): string {
  // By index, not position: a reading with a gap numbers its nodes where they are written.
  const byIndex = new Map(graph.nodes.map((n) => [n.index, n]));
  const names = (list: readonly number[]) => list.map((i) => `"${byIndex.get(i)?.name}"`).join(", ");
  const verb = (list: readonly number[], one: string, many: string) => (list.length === 1 ? one : many);
  const stopped = byIndex.get(c.node);
  const parts: string[] = [];
  if (stopped?.essential === true) {
    parts.push(
      `"${stopped.name}" is essential: its exit stops every container in the task (Essential container in task exited)`,
    );
  }
  if (c.alsoExits.length > 0) {
    const probes = c.alsoExits.map((a) => a.node);
    parts.push(
      `${names(probes)} ${verb(probes, "sees", "see")} the router die and ${verb(probes, "exits", "exit")} 1`,
    );
  }
  if (c.heldBack.length > 0) {
    parts.push(
      `${names(c.heldBack)} ${verb(c.heldBack, "stops", "stop")} with exit 143 (CannotStartContainerError)`,
    );
  }
  if (c.startAnyway.length > 0) {
    parts.push(
      `${names(c.startAnyway)} ${verb(c.startAnyway, "starts", "start")} anyway (a COMPLETE or CREATE wait counts a stopped container as done)`,
    );
  }
  if (c.waitsForever.length > 0) {
    parts.push(
      `${names(c.waitsForever)} ${verb(c.waitsForever, "waits", "wait")} forever (a stopped container is never RUNNING or HEALTHY again, and its wait never times out)`,
    );
  }
  const essentialHeld = c.heldBack.filter((i) => byIndex.get(i)?.essential);
  switch (c.task) {
    case "stops":
      if (stopped?.essential !== true) {
        parts.push(
          `${names(essentialHeld)} ${verb(essentialHeld, "is", "are")} essential, so the task stops before it ever serves`,
        );
      }
      break;
    case "hangs":
      parts.push("the task never reaches RUNNING and nothing stops it: it hangs until someone stops it");
      break;
    case "runs-without-router":
      parts.push(
        `"${stopped?.name}" is not essential: the apps start anyway (the awsfirelens log driver connects asynchronously) and the task runs without its router, losing their logs`,
      );
      break;
    case "runs":
      parts.push(
        c.heldBack.length === 0
          ? `"${stopped?.name}" is not essential and nothing essential depends on its success: the task goes on`
          : "none of them is essential, so the task goes on without them",
      );
      break;
  }
  return parts.join("; ");
}

/**
 * What the agent does when `node`, which ran, exits with `exitCode` before the containers that wait on it
 * started (see outcomes.ts for the agent's rules and where they are decided). `roles` names the router and
 * the probes that fail with it.
 */
export function consequencesOfExit(
  graph: StartGraph,
  node: number,
  exitCode: number,
  roles: OutcomeRoles = {},
): ExitConsequence {
  if (!graph.nodes.some((n) => n.index === node)) {
    return {
      node,
      exitCode,
      task: "runs",
      taskStops: false,
      outcomes: [],
      starts: [],
      heldBack: [],
      startAnyway: [],
      waitsForever: [],
      stoppedWithTask: [],
      alsoExits: [],
      explanation: `no container #${node}`,
    };
  }
  const o = outcomeOfExit(graph, node, exitCode, roles);
  const c = {
    node,
    exitCode,
    task: o.task,
    taskStops: o.task === "stops",
    outcomes: o.nodes,
    starts: only(o.nodes, "starts"),
    heldBack: only(o.nodes, "held-back"),
    startAnyway: only(o.nodes, "starts-anyway"),
    waitsForever: only(o.nodes, "waits-forever"),
    stoppedWithTask: only(o.nodes, "stopped-with-task"),
    alsoExits: o.nodes
      .filter((n) => n.outcome === "exits" && n.node !== node)
      .map((n) => ({ node: n.node, exitCode: n.exitCode ?? 1 })),
  };
  return { ...c, explanation: sentence(graph, c) };
}
