/**
 * Graphviz DOT of one or more startup plans: one digraph, a cluster per task definition (its name as label),
 * the verdict as a note on the router, each scenario's outcome as a note on the container that exits,
 * essential containers bold and solid, the others thin and dashed, the router, the gate and containers that
 * never start by shape and colour, written dependencies solid and the agent's implicit ones dotted, and a
 * legend. Ids are generated, so no container name can collide with another or with the notes; every name is a
 * quoted, escaped label.
 */
import { anyBlocked, type DiagramNode, type TaskDiagram, taskDiagrams, wrap } from "./diagram.js";
import type { StartupPlan } from "./graph.js";

/**
 * A quoted DOT string: backslashes, quotes and line breaks escaped, and `&` as `&amp;`, since Graphviz reads
 * HTML entities in labels (`a&amp;b` would show as `a&b`).
 */
export function dotString(s: string): string {
  return `"${s
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/&/g, "&amp;")
    .replace(/\r?\n|\r/g, "\\n")}"`;
}

const LOOKS: Record<DiagramNode["look"], { shape: string; color: string; fill: string }> = {
  router: { shape: "box3d", color: "#1d4ed8", fill: "#dbeafe" },
  gate: { shape: "hexagon", color: "#b45309", fill: "#fef3c7" },
  agent: { shape: "box", color: "#1f2937", fill: "#f3f4f6" },
  ecs: { shape: "box", color: "#6b7280", fill: "#f9fafb" },
  app: { shape: "box", color: "#1f2937", fill: "#ffffff" },
};

const BLOCKED = { color: "#b91c1c", fill: "#fee2e2" };

function nodeAttrs(label: string, look: DiagramNode["look"], essential: boolean, blocked: boolean): string {
  const l = LOOKS[look];
  const colors = blocked ? BLOCKED : { color: l.color, fill: l.fill };
  return [
    `label=${dotString(label)}`,
    `shape=${l.shape}`,
    `style=${essential ? '"filled"' : '"dashed,filled"'}`,
    `penwidth=${essential ? 3 : 1}`,
    `color=${dotString(colors.color)}`,
    `fillcolor=${dotString(colors.fill)}`,
  ].join(", ");
}

const NOTE = 'shape=note, color="#b91c1c", fontcolor="#7f1d1d", fillcolor="#fff1f2", style="filled"';

function taskLines(d: TaskDiagram): string[] {
  const lines = [`subgraph cluster_${d.id} {`, `  label=${dotString(d.title)};`];
  for (const n of d.nodes) {
    lines.push(`  ${n.id} [${nodeAttrs(`${n.node.name}\n${n.roleLine}`, n.look, n.essential, n.blocked)}];`);
  }
  for (const e of d.edges) {
    const style = e.implicit ? "style=dotted, penwidth=1.5" : "style=solid, penwidth=2.5";
    lines.push(`  ${e.from} -> ${e.to} [label=${dotString(e.label.replace(" · ", "\n"))}, ${style}];`);
  }
  for (const note of d.notes) {
    lines.push(`  ${note.id} [${NOTE}, label=${dotString(wrap(note.text, 44))}];`);
    if (note.on !== undefined) {
      lines.push(`  ${note.on} -> ${note.id} [style=dashed, color="#b91c1c", arrowhead=none];`);
    }
  }
  lines.push("}");
  return lines;
}

function legendLines(blocked: boolean): string[] {
  return [
    "subgraph cluster_legend {",
    '  label="Legend"; fontsize=10;',
    `  l_essential [${nodeAttrs("essential:\nits exit stops the task", "app", true, false)}];`,
    `  l_optional [${nodeAttrs("not essential", "app", false, false)}];`,
    `  l_router [${nodeAttrs("FireLens router", "router", true, false)}];`,
    `  l_gate [${nodeAttrs("preflight gate", "gate", false, false)}];`,
    ...(blocked ? [`  l_blocked [${nodeAttrs("never starts", "app", true, true)}];`] : []),
    `  l_note [${NOTE}, label="verdict: what a\\nrouter crash does"];`,
    '  l_essential -> l_optional [label="dependsOn", style=solid, penwidth=2.5];',
    '  l_router -> l_gate [label="added by ECS", style=dotted, penwidth=1.5];',
    "}",
  ];
}

/** One digraph for one plan or several (a cluster each), so `dot -Tsvg` writes one SVG document. */
export function renderPlanDot(plans: StartupPlan | readonly StartupPlan[]): string {
  const diagrams = taskDiagrams(plans);
  const lines = [
    "digraph startup {",
    "  rankdir=LR;",
    '  node [fontname="Helvetica"]; edge [fontname="Helvetica", fontsize=10];',
    ...diagrams.flatMap(taskLines).map((l) => `  ${l}`),
    ...legendLines(anyBlocked(diagrams)).map((l) => `  ${l}`),
    "}",
  ];
  return `${lines.join("\n")}\n`;
}
