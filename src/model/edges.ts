/**
 * The start edges of a task as the ECS agent builds them, in its order (`PostUnmarshalTask` and
 * `initializeContainerOrdering` in agent/api/task/task.go, then `addFirelensContainerDependency`):
 *
 * 1. Service Connect: every container waits for the Service Connect proxy to be HEALTHY.
 * 2. `volumesFrom`: the container waits for the source container to be created (the agent's CREATE).
 * 3. `links`: the container waits for the linked container to START.
 * 4. FireLens: every awsfirelens container that does not already wait on the router waits for it to START —
 *    unless the router has any dependency of its own by now (from 1–3 or its own `dependsOn`), in which case the
 *    agent adds none at all.
 *
 * It also finds what makes the agent refuse the task before any container starts: a dependency on a container
 * that is not there, a cycle, HEALTHY on a container without a health check, a condition it does not know, or a
 * link that is neither `name` nor `name:alias`
 * (`ValidDependencies`, agent/engine/dependencygraph/graph.go).
 */

import type { ContainerReading, EdgeSource, FirelensEdges, Refusal, StartEdge, StartNode } from "./types.js";
import { CONDITIONS } from "./types.js";
import { arr, isObject, str } from "./values.js";

/** The name ECS gives the Service Connect proxy container it adds to a task. */
export const SERVICE_CONNECT_NODE = "ecs-service-connect (added by ECS)";

export interface EdgeGraph {
  readonly nodes: readonly StartNode[];
  readonly edges: readonly StartEdge[];
  readonly firelensEdges: FirelensEdges;
  readonly refusal: Refusal | undefined;
  /** Every reason the agent refuses the task, by container. */
  readonly refusals: readonly Refusal[];
  readonly cycles: readonly (readonly number[])[];
}

const KNOWN_CONDITIONS: ReadonlySet<string> = new Set(CONDITIONS);

interface Building {
  readonly containers: readonly ContainerReading[];
  readonly nodes: StartNode[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly edges: StartEdge[];
  readonly problems: Refusal[];
}

function dependsOnEdges(g: Building): void {
  for (const c of g.containers) {
    for (const d of c.dependsOn) {
      if (d.target === undefined || d.condition === undefined) continue;
      const to = g.indexOf.get(d.target);
      if (to === undefined) {
        g.problems.push({
          container: c.index,
          reason: `"${c.label}" depends on "${d.target}", which is not in the task`,
        });
        continue;
      }
      if (!KNOWN_CONDITIONS.has(d.condition)) {
        g.problems.push({
          container: c.index,
          reason: `"${c.label}" waits for "${d.target}" with condition "${d.condition}", which the agent does not know`,
        });
      }
      g.edges.push({
        from: c.index,
        to,
        condition: d.condition,
        source: "dependsOn",
        implicit: false,
        dependency: d.index,
      });
    }
  }
}

/** Service Connect, volumesFrom and links, in the agent's order. */
function orderingEdges(g: Building, serviceConnect: boolean): void {
  if (serviceConnect) {
    // Past every written index: a view with a gap (model/branches.ts) has fewer nodes than its highest index.
    const proxy = g.nodes.reduce((next, n) => Math.max(next, n.index + 1), g.nodes.length);
    g.nodes.push({
      index: proxy,
      name: SERVICE_CONNECT_NODE,
      essential: true,
      hasHealthCheck: true,
      addedByEcs: true,
    });
    for (const c of g.containers) {
      g.edges.push({
        from: c.index,
        to: proxy,
        condition: "HEALTHY",
        source: "service-connect",
        implicit: true,
      });
    }
  }
  for (const c of g.containers) {
    const volumes = arr(c.definition.volumesFrom as unknown);
    for (let entry = 0; entry < volumes.length; entry++) {
      const v = volumes[entry];
      const source = isObject(v) ? str(v.sourceContainer) : undefined;
      if (source === undefined) continue;
      const to = g.indexOf.get(source);
      if (to === undefined) {
        g.problems.push({
          container: c.index,
          reason: `"${c.label}" mounts volumes from "${source}", which is not in the task`,
          kind: "volumes-from-target",
          entry,
        });
      } else {
        g.edges.push({ from: c.index, to, condition: "CREATE", source: "volumesFrom", implicit: true });
      }
    }
    const links = arr(c.definition.links as unknown);
    for (let entry = 0; entry < links.length; entry++) {
      const link = links[entry];
      if (typeof link !== "string") continue;
      // `name` or `name:alias`, nothing else: the agent fails the task on "Invalid link format" otherwise
      // (`dockerLinks` and the links ordering in agent/api/task/task.go split on ":" and refuse more than 2 parts).
      const parts = link.split(":");
      if (parts.length > 2) {
        g.problems.push({
          container: c.index,
          reason: `"${c.label}" has link "${link}", which is neither "name" nor "name:alias" (Invalid link format)`,
          kind: "link-format",
          entry,
        });
        continue;
      }
      const target = parts[0] ?? "";
      const to = g.indexOf.get(target);
      if (to === undefined) {
        g.problems.push({
          container: c.index,
          reason: `"${c.label}" links to "${target}", which is not in the task`,
          kind: "link-target",
          entry,
        });
      } else {
        g.edges.push({ from: c.index, to, condition: "START", source: "links", implicit: true });
      }
    }
  }
}

function firelensEdges(g: Building, router: ContainerReading | undefined): FirelensEdges {
  if (router === undefined) return { kind: "no-router" };
  const own = g.edges.filter((e) => e.from === router.index);
  if (own.length > 0) return { kind: "dropped", because: [...new Set<EdgeSource>(own.map((e) => e.source))] };
  // The agent checks each container's dependency list by name, whatever the condition.
  const waitsAlready = new Set(g.edges.filter((e) => e.to === router.index).map((e) => e.from));
  for (const c of g.containers) {
    if (c === router || !c.logsThroughFirelens || waitsAlready.has(c.index)) continue;
    g.edges.push({ from: c.index, to: router.index, condition: "START", source: "firelens", implicit: true });
  }
  return { kind: "added" };
}

export function buildEdges(
  containers: readonly ContainerReading[],
  router: ContainerReading | undefined,
  serviceConnect: boolean,
): EdgeGraph {
  const indexOf = new Map<string, number>();
  for (const c of containers) if (c.name !== undefined && !indexOf.has(c.name)) indexOf.set(c.name, c.index);
  const g: Building = {
    containers,
    nodes: containers.map((c) => ({
      index: c.index,
      name: c.label,
      essential: c.essential !== false,
      hasHealthCheck: c.hasHealthCheck,
      addedByEcs: false,
    })),
    indexOf,
    edges: [],
    problems: [],
  };
  dependsOnEdges(g);
  orderingEdges(g, serviceConnect);
  const firelens = firelensEdges(g, router);
  // Nodes by index, not position: a view with a gap numbers them by where they are written.
  const node = new Map(g.nodes.map((n) => [n.index, n]));
  for (const e of g.edges) {
    const target = node.get(e.to);
    if (e.condition === "HEALTHY" && target !== undefined && !target.hasHealthCheck) {
      g.problems.push({
        container: e.from,
        reason: `"${node.get(e.from)?.name}" waits for "${target.name}" to be HEALTHY, but "${target.name}" has no healthCheck`,
      });
    }
  }
  const size = g.nodes.reduce((next, n) => Math.max(next, n.index + 1), 0);
  const cycles = findCycles(size, g.edges);
  for (const cycle of cycles) {
    const names = [...cycle, cycle[0] as number].map((i) => `"${node.get(i)?.name}"`).join(" → ");
    g.problems.push({ container: cycle[0] as number, reason: `dependency cycle ${names}` });
  }
  g.problems.sort((a, b) => a.container - b.container);
  return {
    nodes: g.nodes,
    edges: g.edges,
    firelensEdges: firelens,
    refusal: g.problems[0],
    refusals: g.problems,
    cycles,
  };
}

/**
 * Strongly connected components with more than one node, or with a self edge (Tarjan's algorithm, iterative so
 * a long chain cannot overflow the stack), each rotated to start at its lowest index and ordered along a cycle.
 */
export function findCycles(size: number, edges: readonly StartEdge[]): number[][] {
  // Most tasks have a handful of edges and no cycle: prove that first with a cheap peel (Kahn's algorithm), and
  // run Tarjan only when something is left over.
  if (edges.length === 0) return [];
  const { offsets, targets, selfLoop } = adjacency(size, edges);
  if (selfLoop === undefined && acyclic(size, offsets, targets)) return [];
  const out: number[][] = new Array(size);
  for (let v = 0; v < size; v++) out[v] = Array.from(targets.subarray(offsets[v], offsets[v + 1]));
  const loops = selfLoop ?? new Set<number>();
  const index = new Int32Array(size).fill(-1);
  const low = new Int32Array(size);
  const onStack = new Uint8Array(size);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (let root = 0; root < size; root++) {
    if (index[root] !== -1) continue;
    const work: Array<[node: number, next: number]> = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1] as [number, number];
      const [v, i] = frame;
      const succ = out[v] as number[];
      if (i < succ.length) {
        frame[1] = i + 1;
        const w = succ[i] as number;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v] as number, index[w] as number);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low[parent[0]] = Math.min(low[parent[0]] as number, low[v] as number);
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || loops.has(v)) components.push(orderAlongCycle(component, out));
      }
    }
  }
  return components.sort((a, b) => (a[0] as number) - (b[0] as number));
}

/** Successors of each node in one array (`targets[offsets[v]..offsets[v+1]]`, edge order kept), and self edges. */
function adjacency(
  size: number,
  edges: readonly StartEdge[],
): { offsets: Int32Array; targets: Int32Array; selfLoop: Set<number> | undefined } {
  const offsets = new Int32Array(size + 1);
  let selfLoop: Set<number> | undefined;
  let kept = 0;
  for (const e of edges) {
    if (e.from === e.to) {
      selfLoop ??= new Set();
      selfLoop.add(e.from);
    } else if (e.from >= 0 && e.from < size) {
      offsets[e.from + 1] = (offsets[e.from + 1] as number) + 1;
      kept++;
    }
  }
  for (let v = 0; v < size; v++) offsets[v + 1] = (offsets[v + 1] as number) + (offsets[v] as number);
  const fill = offsets.slice(0, size);
  const targets = new Int32Array(kept);
  for (const e of edges) {
    if (e.from === e.to || e.from < 0 || e.from >= size) continue;
    targets[fill[e.from] as number] = e.to;
    fill[e.from] = (fill[e.from] as number) + 1;
  }
  return { offsets, targets, selfLoop };
}

/** Whether repeatedly removing nodes nothing waits on empties the graph (then there is no cycle). */
function acyclic(size: number, offsets: Int32Array, targets: Int32Array): boolean {
  const incoming = new Int32Array(size);
  for (let k = 0; k < targets.length; k++) {
    const w = targets[k] as number;
    incoming[w] = (incoming[w] as number) + 1;
  }
  const queue = new Int32Array(size);
  let tail = 0;
  for (let v = 0; v < size; v++) if (incoming[v] === 0) queue[tail++] = v;
  for (let head = 0; head < tail; head++) {
    const v = queue[head] as number;
    for (let k = offsets[v] as number; k < (offsets[v + 1] as number); k++) {
      const w = targets[k] as number;
      incoming[w] = (incoming[w] as number) - 1;
      if (incoming[w] === 0) queue[tail++] = w;
    }
  }
  return tail === size;
}

/** A shortest cycle through the component's lowest node, by breadth-first search inside the component. */
function orderAlongCycle(component: readonly number[], out: readonly (readonly number[])[]): number[] {
  const members = new Set(component);
  const start = Math.min(...component);
  if (component.length === 1) return [start];
  const previous = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head] as number;
    for (const w of out[v] ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path: number[] = [];
        for (let at: number | undefined = v; at !== undefined && at !== start; at = previous.get(at))
          path.push(at);
        return [start, ...path.reverse()];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}
