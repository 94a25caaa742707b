/**
 * What the Mermaid and DOT renderers both draw, decided once: each container's role line and look (essential or
 * not, router, gate, never starts), the notes (the verdict on the router, why the agent adds no implicit edges,
 * what is only known at deploy time) and the legend entries. Pure data; the renderers only spell it.
 */
import type { StartupNode, StartupPlan } from "./graph.js";
import { scenarioHeading, scenarioOutcome, scenariosOf } from "./scenario.js";

export type Look = "router" | "gate" | "agent" | "ecs" | "app";

export interface DiagramNode {
  readonly node: StartupNode;
  /** Unique in the diagram, made of letters, digits and `_` only. */
  readonly id: string;
  readonly look: Look;
  readonly essential: boolean;
  readonly blocked: boolean;
  /** Second label line: the role and whether it is essential, e.g. `FireLens router · essential`. */
  readonly roleLine: string;
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly implicit: boolean;
}

export interface DiagramNote {
  readonly id: string;
  /** `exit`: what one scenario (the router's crash, a gate's failure) does, on on the container that exits. */
  readonly kind: "verdict" | "refusal" | "dropped" | "deploy-time" | "exit";
  readonly text: string;
  /** The diagram node id the note hangs on, when it has one. */
  readonly on: string | undefined;
}

export interface TaskDiagram {
  readonly id: string;
  readonly title: string;
  readonly nodes: readonly DiagramNode[];
  /** Arrows point in start order: from the dependency to the container that waits for it. */
  readonly edges: readonly DiagramEdge[];
  readonly notes: readonly DiagramNote[];
}

export function roleLine(node: StartupNode): string {
  const role = node.router
    ? "FireLens router"
    : node.role === "gate"
      ? "preflight gate"
      : node.role === "agent"
        ? "Datadog Agent"
        : node.role === "ecs"
          ? "added by ECS"
          : "";
  return [role, node.essential ? "essential" : "not essential"].filter((s) => s !== "").join(" · ");
}

function lookOf(node: StartupNode): Look {
  if (node.router) return "router";
  if (node.role === "gate" || node.role === "agent" || node.role === "ecs") return node.role;
  return "app";
}

/** Ids from names, made unique: `log-router` and `log_router` must not become one node. */
function nodeIds(prefix: string, nodes: readonly StartupNode[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of nodes) {
    if (ids.has(n.name)) continue;
    const slug = n.name.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
    const base = `${prefix}c_${slug === "" ? "x" : slug}`;
    let id = base;
    for (let k = 2; taken.has(id); k++) id = `${base}_${k}`;
    taken.add(id);
    ids.set(n.name, id);
  }
  return ids;
}

function notesOf(
  plan: StartupPlan,
  prefix: string,
  idOf: (name: string) => string | undefined,
): DiagramNote[] {
  const router = plan.nodes.find((n) => n.router);
  const on = router === undefined ? undefined : idOf(router.name);
  const notes: DiagramNote[] = [
    {
      id: `${prefix}note_verdict`,
      kind: plan.refusal === undefined ? "verdict" : "refusal",
      text: plan.verdict,
      on: plan.refusal === undefined ? on : undefined,
    },
  ];
  if (plan.firelensEdges.kind === "dropped" && plan.refusal === undefined) {
    notes.push({
      id: `${prefix}note_dropped`,
      kind: "dropped",
      text: `no implicit START edges: the router has start dependencies of its own (${plan.firelensEdges.because.join(", ")}), so the agent adds none for awsfirelens containers`,
      on,
    });
  }
  if (plan.refusal === undefined) {
    scenariosOf(plan).forEach((c, i) => {
      notes.push({
        id: `${prefix}note_exit_${i + 1}`,
        kind: "exit",
        text: `${scenarioHeading(plan, c)}: ${scenarioOutcome(c)}`,
        on: idOf(c.container),
      });
    });
  }
  if (plan.deployTime.length > 0) {
    notes.push({
      id: `${prefix}note_deploy_time`,
      kind: "deploy-time",
      text: `only known at deploy time: ${plan.deployTime.join("; ")}`,
      on: undefined,
    });
  }
  return notes;
}

/** The diagram of one plan; `prefix` keeps ids apart when several task definitions share one diagram. */
export function taskDiagram(plan: StartupPlan, prefix: string): TaskDiagram {
  const ids = nodeIds(prefix, plan.nodes);
  const blocked = new Set(plan.blocked.map((b) => b.name));
  const seen = new Set<string>();
  const nodes = plan.nodes.flatMap((n): DiagramNode[] => {
    const id = ids.get(n.name);
    // Two containers of one name are one node to the agent too (FLP1xx says so); draw it once.
    if (id === undefined || seen.has(n.name)) return [];
    seen.add(n.name);
    const look = lookOf(n);
    return [
      { node: n, id, look, essential: n.essential, blocked: blocked.has(n.name), roleLine: roleLine(n) },
    ];
  });
  const edges = plan.edges.flatMap((e): DiagramEdge[] => {
    const from = ids.get(e.to);
    const to = ids.get(e.from);
    if (from === undefined || to === undefined) return [];
    return [
      { from, to, label: e.implicit ? `${e.condition} · added by ECS` : e.condition, implicit: e.implicit },
    ];
  });
  return {
    id: `${prefix}task`,
    // A diagram draws one way the task starts: where the conditions change it, the title says which.
    title: plan.shows === undefined ? plan.taskDefinition : `${plan.taskDefinition} (when ${plan.shows})`,
    nodes,
    edges,
    notes: notesOf(plan, prefix, (name) => ids.get(name)),
  };
}

/** The diagrams of several plans, ids prefixed `t1_`, `t2_`, … */
export function taskDiagrams(plans: StartupPlan | readonly StartupPlan[]): TaskDiagram[] {
  const list: readonly StartupPlan[] = Array.isArray(plans) ? plans : [plans as StartupPlan];
  return list.map((plan, i) => taskDiagram(plan, `t${i + 1}_`));
}

/** Whether any task in the diagram has a container that never starts: the legend then explains the red. */
export function anyBlocked(diagrams: readonly TaskDiagram[]): boolean {
  return diagrams.some((d) => d.nodes.some((n) => n.blocked));
}

/** Breaks text into lines of at most `width` characters at spaces (DOT does not wrap labels). */
export function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines.join("\n");
}
