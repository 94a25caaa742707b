/** Passes when the `dependsOn` graph has no cycle (self-references are FLP102's). */
import type { ContainerView } from "../taskdef/model.js";
import { SRC } from "./sources.js";
import type { Rule } from "./types.js";
import { analyze, cpath, label, type TaskAnalysis } from "./util.js";

function successors(a: TaskAnalysis, c: ContainerView): ContainerView[] {
  const out: ContainerView[] = [];
  for (const d of a.deps[c.index] ?? []) {
    if (d.containerName === undefined || d.containerName === c.name) continue;
    const t = a.byName.get(d.containerName);
    if (t !== undefined && !out.includes(t)) out.push(t);
  }
  return out;
}

/** Strongly connected components (Tarjan), each in container order. */
function components(a: TaskAnalysis): ContainerView[][] {
  let counter = 0;
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: ContainerView[] = [];
  const out: ContainerView[][] = [];
  const visit = (v: ContainerView): void => {
    index.set(v.index, counter);
    low.set(v.index, counter);
    counter++;
    stack.push(v);
    onStack.add(v.index);
    for (const w of successors(a, v)) {
      if (!index.has(w.index)) {
        visit(w);
        low.set(v.index, Math.min(low.get(v.index) ?? 0, low.get(w.index) ?? 0));
      } else if (onStack.has(w.index)) {
        low.set(v.index, Math.min(low.get(v.index) ?? 0, index.get(w.index) ?? 0));
      }
    }
    if (low.get(v.index) === index.get(v.index)) {
      const comp: ContainerView[] = [];
      let w: ContainerView | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w.index);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort((x, y) => x.index - y.index));
    }
  };
  for (const c of a.containers) if (c.name !== undefined && !index.has(c.index)) visit(c);
  return out;
}

/** One concrete cycle through `start` inside its component, for the message. */
function cycleFrom(a: TaskAnalysis, start: ContainerView, comp: readonly ContainerView[]): ContainerView[] {
  const prev = new Map<number, ContainerView>();
  const queue: ContainerView[] = [start];
  const seen = new Set<number>([start.index]);
  while (queue.length > 0) {
    const cur = queue.shift() as ContainerView;
    for (const next of successors(a, cur)) {
      if (!comp.includes(next)) continue;
      if (next === start) {
        const path = [cur];
        let p = prev.get(cur.index);
        while (p !== undefined) {
          path.unshift(p);
          p = prev.get(p.index);
        }
        return path;
      }
      if (!seen.has(next.index)) {
        seen.add(next.index);
        prev.set(next.index, cur);
        queue.push(next);
      }
    }
  }
  return [...comp];
}

export const FLP103: Rule = {
  meta: {
    id: "FLP103",
    title: "dependsOn forms a cycle",
    severity: "error",
    family: "validity",
    rationale:
      "Containers that wait for each other can never start. The agent cannot resolve a cyclic dependency graph (ValidDependencies fails), so the task never reaches RUNNING.",
    sources: [SRC.containerDependency, SRC.agentGraph],
    fixHint:
      "Break the cycle: remove the dependsOn entry that points back to a container that waits for this one.",
    messages: {
      cycle: "Containers wait for each other in a cycle: {{cycle}}.",
    },
  },
  check(ctx) {
    const a = analyze(ctx.taskDefinition);
    // A cycle needs at least two containers with dependencies; most task definitions have none at all.
    if (a.deps.filter((d) => d.length > 0).length < 2) return;
    for (const comp of components(a)) {
      const start = comp[0] as ContainerView;
      const cycle = cycleFrom(a, start, comp);
      ctx.report({
        messageId: "cycle",
        data: { cycle: [...cycle, start].map((c) => `'${label(c)}'`).join(" → ") },
        path: cpath(start, "dependsOn"),
        container: start.name,
      });
    }
  },
};
