/**
 * How the agent starts a task's containers, read from the start edges: in which rounds they can start, which
 * never can and why, and what an early exit of one container does to the others.
 */
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

/** Rounds by longest path (Kahn's algorithm, linear in nodes + edges); what never gets a round is blocked. */
export function startOrder(reading: TaskReading): StartOrder {
  const { nodes, edges, refusal } = reading;
  if (refusal !== undefined) {
    const reason = `the ECS agent refuses the task, so no container starts: ${refusal.reason}`;
    return { stages: [], blocked: nodes.map((n) => ({ node: n.index, reason })) };
  }
  const out = outgoing(nodes.length, edges);
  const waiters: number[][] = Array.from({ length: nodes.length }, () => []);
  const pending = new Int32Array(nodes.length);
  const blockedReason = new Map<number, string>();
  for (const e of edges) {
    const why = unmetBecause(e, nodes);
    if (why !== undefined && !blockedReason.has(e.from)) blockedReason.set(e.from, why);
    waiters[e.to]?.push(e.from);
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
    for (const w of waiters[v] ?? []) {
      stageOf[w] = Math.max(stageOf[w] as number, (stageOf[v] as number) + 1);
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
  /** The whole task stops. */
  readonly taskStops: boolean;
  /** Containers the agent stops with exit 143 (CannotStartContainerError) because what they wait for failed. */
  readonly heldBack: readonly number[];
  /** Containers that wait on the stopped one and still start (START/COMPLETE count a stopped container as done). */
  readonly startAnyway: readonly number[];
  readonly explanation: string;
}

/**
 * What the agent does when a node exits before the containers that wait on it started. An essential exit stops
 * the task. Otherwise, for a non-zero exit: SUCCESS and HEALTHY dependents can never start and are stopped with
 * exit 143; a START or COMPLETE dependent is stopped the same way only when it comes after the stopped container
 * in the task's container order, while one listed before it is checked again after the stop and starts, since
 * both conditions count a stopped container as done (`verifyContainerOrderingStatusResolvable`,
 * agent/engine/dependencygraph/graph.go). A stopped dependent's own dependents follow the same rules.
 */
export function consequencesOfExit(graph: StartGraph, node: number, exitCode: number): ExitConsequence {
  const { nodes, edges } = graph;
  const stopped = nodes[node];
  if (stopped === undefined) {
    return {
      node,
      exitCode,
      taskStops: false,
      heldBack: [],
      startAnyway: [],
      explanation: `no container #${node}`,
    };
  }
  if (stopped.essential) {
    return {
      node,
      exitCode,
      taskStops: true,
      heldBack: [],
      startAnyway: [],
      explanation: `"${stopped.name}" is essential: its exit stops every container in the task (Essential container in task exited)`,
    };
  }
  const waiters: StartGraph["edges"][number][][] = Array.from({ length: nodes.length }, () => []);
  for (const e of edges) waiters[e.to]?.push(e);
  const held = new Set<number>();
  const anyway = new Set<number>();
  const queue: Array<[number, number]> = [[node, exitCode]];
  for (let head = 0; head < queue.length; head++) {
    const [s, code] = queue[head] as [number, number];
    for (const e of waiters[s] ?? []) {
      const w = e.from;
      if (held.has(w) || w === node) continue;
      const stopsIt =
        e.condition === "HEALTHY" ||
        (e.condition === "SUCCESS" && code !== 0) ||
        ((e.condition === "START" || e.condition === "COMPLETE" || e.condition === "CREATE") &&
          code !== 0 &&
          w > s);
      if (stopsIt) {
        held.add(w);
        anyway.delete(w);
        queue.push([w, 143]);
      } else if (code !== 0) {
        anyway.add(w);
      }
    }
  }
  const heldBack = [...held].sort((a, b) => a - b);
  const startAnyway = [...anyway].filter((w) => !held.has(w)).sort((a, b) => a - b);
  const essentialHeld = heldBack.filter((i) => nodes[i]?.essential);
  const taskStops = essentialHeld.length > 0;
  const names = (list: readonly number[]) => list.map((i) => `"${nodes[i]?.name}"`).join(", ");
  let explanation =
    heldBack.length === 0
      ? `"${stopped.name}" is not essential and nothing waits on its success: the task goes on`
      : `${names(heldBack)} stop${heldBack.length === 1 ? "s" : ""} with exit 143 (CannotStartContainerError)` +
        (taskStops
          ? `; ${names(essentialHeld)} ${essentialHeld.length === 1 ? "is" : "are"} essential, so the task stops before it ever serves`
          : "; none of them is essential, so the task goes on without them");
  if (startAnyway.length > 0) {
    explanation += `; ${names(startAnyway)} start${startAnyway.length === 1 ? "s" : ""} anyway (listed before "${stopped.name}", a START or COMPLETE wait counts its stop as done)`;
  }
  return { node, exitCode, taskStops, heldBack, startAnyway, explanation };
}
