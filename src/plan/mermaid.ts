/**
 * Mermaid flowchart of one or more startup plans: one subgraph per task definition (its name as title), the
 * verdict as a note on the router, each scenario's outcome as a note on the container that exits, essential
 * containers thick and solid, the others thin and dashed, the router, the gate and containers that never
 * start by colour and shape, written dependencies as thick arrows and the agent's implicit ones dotted, and a
 * legend. Every name is escaped: Mermaid reads `"`, `#`, `<`, `|` and backticks itself.
 */
import { anyBlocked, type DiagramNode, type DiagramNote, type TaskDiagram, taskDiagrams } from "./diagram.js";
import type { StartupPlan } from "./graph.js";

/** Text inside a quoted Mermaid string: entity codes for what Mermaid or HTML would read, one line. */
export function mermaidText(text: string): string {
  return text
    .replace(/#/g, "#35;")
    .replace(/&/g, "#38;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/`/g, "#96;")
    .replace(/\|/g, "#124;")
    .replace(/[\r\n\t]+/g, " ");
}

const SHAPES: Record<DiagramNode["look"], readonly [string, string]> = {
  router: [`[["`, `"]]`],
  gate: [`{{"`, `"}}`],
  agent: [`["`, `"]`],
  ecs: [`(["`, `"])`],
  app: [`["`, `"]`],
};

function nodeLine(n: DiagramNode): string {
  const [open, close] = SHAPES[n.look];
  return `${n.id}${open}${mermaidText(n.node.name)}<br/><small>${mermaidText(n.roleLine)}</small>${close}`;
}

function noteLines(note: DiagramNote): string[] {
  const lines = [`${note.id}>"${mermaidText(note.text)}"]`];
  if (note.on !== undefined) lines.push(`${note.on} -.- ${note.id}`);
  return lines;
}

function taskLines(d: TaskDiagram): string[] {
  const lines = [`subgraph ${d.id}["${mermaidText(d.title)}"]`, "  direction LR"];
  for (const n of d.nodes) lines.push(`  ${nodeLine(n)}`);
  for (const e of d.edges)
    lines.push(`  ${e.from} ${e.implicit ? "-.->" : "==>"}|"${mermaidText(e.label)}"| ${e.to}`);
  for (const note of d.notes) lines.push(...noteLines(note).map((l) => `  ${l}`));
  lines.push("end");
  return lines;
}

function legendLines(blocked: boolean): string[] {
  return [
    `subgraph legend["Legend"]`,
    "  direction LR",
    `  l_essential["essential: its exit stops the task"]`,
    `  l_optional["not essential"]`,
    `  l_router[["FireLens router"]]`,
    `  l_gate{{"preflight gate"}}`,
    ...(blocked ? [`  l_blocked["never starts"]`] : []),
    `  l_note>"verdict: what a router crash does"]`,
    `  l_essential ==>|"dependsOn"| l_optional`,
    `  l_router -.->|"added by ECS"| l_gate`,
    "end",
  ];
}

/** `class` statements: the look, then essential or not, then blocked last so its red wins. */
function classLines(diagrams: readonly TaskDiagram[], blocked: boolean): string[] {
  const byClass = new Map<string, string[]>([
    ["router", ["l_router"]],
    ["gate", ["l_gate"]],
    ["agent", []],
    ["ecs", []],
    ["app", ["l_essential", "l_optional"]],
    ["essential", ["l_essential", "l_router"]],
    ["optional", ["l_optional", "l_gate"]],
    ["blocked", blocked ? ["l_blocked"] : []],
    ["note", ["l_note"]],
  ]);
  for (const d of diagrams) {
    for (const n of d.nodes) {
      byClass.get(n.look)?.push(n.id);
      byClass.get(n.essential ? "essential" : "optional")?.push(n.id);
      if (n.blocked) byClass.get("blocked")?.push(n.id);
    }
    for (const note of d.notes) byClass.get("note")?.push(note.id);
  }
  return [...byClass]
    .filter(([, ids]) => ids.length > 0)
    .map(([cls, ids]) => `class ${ids.join(",")} ${cls}`);
}

/** One flowchart for one plan or several (one subgraph each): Mermaid reads one diagram per document. */
export function renderPlanMermaid(plans: StartupPlan | readonly StartupPlan[]): string {
  const diagrams = taskDiagrams(plans);
  const blocked = anyBlocked(diagrams);
  const lines = [
    "flowchart LR",
    ...diagrams.flatMap(taskLines),
    ...legendLines(blocked),
    ...classLines(diagrams, blocked),
    // Look first (fill and stroke colour), then essential or not (width and dashes), then blocked: later wins.
    "classDef router stroke:#1d4ed8,fill:#dbeafe",
    "classDef gate stroke:#b45309,fill:#fef3c7",
    "classDef agent stroke:#1f2937,fill:#f3f4f6",
    "classDef ecs stroke:#6b7280,fill:#f9fafb",
    "classDef app stroke:#1f2937,fill:#ffffff",
    "classDef essential stroke-width:3px",
    "classDef optional stroke-width:1px,stroke-dasharray:5 3",
    "classDef blocked stroke:#b91c1c,fill:#fee2e2",
    "classDef note stroke:#b91c1c,stroke-width:1px,fill:#fff1f2,color:#7f1d1d",
  ];
  return `${lines.map((l, i) => (i === 0 ? l : `  ${l}`)).join("\n")}\n`;
}
