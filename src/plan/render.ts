/**
 * Renderers for a startup plan: plain text for people, Mermaid and DOT for diagrams. Pure: they return strings.
 * Every renderer shows the same facts: essential containers, the gate, the edges the ECS agent adds, what never
 * starts, and what a router crash stops.
 */
import type { StartupNode, StartupPlan } from "./graph.js";

function markers(node: StartupNode): string {
  const tags: string[] = [];
  if (node.essential) tags.push("essential");
  if (node.router) tags.push("FireLens router");
  if (node.role === "gate") tags.push("gate");
  if (node.role === "agent") tags.push("Datadog Agent");
  if (node.role === "ecs") tags.push("added by ECS");
  return tags.length > 0 ? ` [${tags.join(", ")}]` : "";
}

function droppedNote(plan: StartupPlan): string | undefined {
  if (plan.firelensEdges.kind !== "dropped") return undefined;
  return `  note: the router has start dependencies of its own (${plan.firelensEdges.because.join(", ")}), so the agent adds no implicit START dependency on it for awsfirelens containers`;
}

export function renderPlanText(plan: StartupPlan): string {
  const lines: string[] = [`startup order of ${plan.taskDefinition}:`];
  if (plan.refusal !== undefined) {
    lines.push(`  the ECS agent refuses this task before starting any container: ${plan.refusal}`);
  }
  plan.stages.forEach((stage, i) => {
    lines.push(`  stage ${i + 1}`);
    for (const name of stage) {
      const node = plan.nodes.find((n) => n.name === name);
      const waits = plan.edges
        .filter((e) => e.from === name)
        .map(
          (e) =>
            `${e.to} ${e.condition}${e.implicit ? ` (implicit${e.source === "firelens" ? "" : `, ${e.source}`})` : ""}`,
        );
      lines.push(
        `    ${name}${node ? markers(node) : ""}${waits.length > 0 ? `  waits for ${waits.join(", ")}` : ""}`,
      );
    }
  });
  if (plan.blocked.length > 0 && plan.refusal === undefined) {
    lines.push("  never starts");
    for (const b of plan.blocked) lines.push(`    ${b.name}: ${b.reason}`);
  }
  const note = droppedNote(plan);
  if (note !== undefined) lines.push(note);
  if (plan.deployTime.length > 0) lines.push(`  only known at deploy time: ${plan.deployTime.join("; ")}`);
  const stops: string[] = [];
  if (plan.routerCrash !== undefined) {
    stops.push(`    if ${plan.routerCrash.container} crashes: ${plan.routerCrash.explanation}`);
  }
  for (const gate of plan.gateFailures) stops.push(`    if ${gate.container} exits 1: ${gate.explanation}`);
  if (stops.length > 0 && plan.refusal === undefined) lines.push("  what stops", ...stops);
  return `${lines.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// Mermaid

function mermaidId(name: string): string {
  return `c_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

function mermaidText(text: string): string {
  return text.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}

function mermaidClass(node: StartupNode, blocked: boolean): string {
  if (blocked) return "blocked";
  if (node.router) return "router";
  if (node.role === "gate") return "gate";
  return node.essential ? "essential" : "optional";
}

function roleLine(node: StartupNode): string {
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

export function renderPlanMermaid(plan: StartupPlan): string {
  const lines = ["flowchart LR"];
  const blocked = new Set(plan.blocked.map((b) => b.name));
  for (const n of plan.nodes) {
    const label = `${mermaidText(n.name)}<br/><small>${mermaidText(roleLine(n))}</small>`;
    const shape = n.role === "gate" ? [`{{"`, `"}}`] : n.router ? [`[["`, `"]]`] : [`["`, `"]`];
    lines.push(
      `  ${mermaidId(n.name)}${shape[0]}${label}${shape[1]}:::${mermaidClass(n, blocked.has(n.name))}`,
    );
  }
  for (const e of plan.edges) {
    // Arrows point in start order: the dependency first, then the container that waits for it.
    const label = e.implicit ? `${e.condition} · added by ECS` : e.condition;
    lines.push(
      `  ${mermaidId(e.to)} ${e.implicit ? "-.->" : "==>"}|${mermaidText(label)}| ${mermaidId(e.from)}`,
    );
  }
  if (plan.routerCrash !== undefined) {
    const router = mermaidId(plan.routerCrash.container);
    lines.push(
      `  crash>"if ${mermaidText(plan.routerCrash.container)} crashes: ${mermaidText(plan.routerCrash.taskStops ? "the whole task stops" : "the task goes on")}"]:::note`,
      `  ${router} -.- crash`,
    );
  }
  lines.push(
    "  subgraph legend[Legend]",
    "    direction LR",
    `    l_essential["essential: its exit stops the task"]:::essential`,
    `    l_optional["not essential"]:::optional`,
    `    l_gate{{"preflight gate"}}:::gate`,
    `    l_essential ==>|dependsOn| l_optional`,
    `    l_optional -.->|added by ECS| l_gate`,
    "  end",
    "  classDef essential stroke:#1f2937,stroke-width:3px,fill:#ffffff",
    "  classDef optional stroke:#6b7280,stroke-width:1px,stroke-dasharray:4 3,fill:#f9fafb",
    "  classDef router stroke:#1d4ed8,stroke-width:3px,fill:#dbeafe",
    "  classDef gate stroke:#b45309,stroke-width:2px,stroke-dasharray:4 3,fill:#fef3c7",
    "  classDef blocked stroke:#b91c1c,stroke-width:3px,fill:#fee2e2",
    "  classDef note stroke:#b91c1c,fill:#fff1f2,color:#7f1d1d",
  );
  return `${lines.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// DOT

function dotString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

function dotNode(n: StartupNode, blocked: boolean): string {
  const attrs = [
    `label=${dotString(`${n.name}\n${roleLine(n)}`)}`,
    `shape=${n.router ? "box3d" : n.role === "gate" ? "hexagon" : "box"}`,
    n.essential ? "penwidth=2.5" : "style=dashed",
  ];
  if (n.router) attrs.push('style="filled"', 'fillcolor="#dbeafe"');
  else if (n.role === "gate") attrs.push('style="dashed,filled"', 'fillcolor="#fef3c7"');
  if (blocked) attrs.push("color=red");
  return `  ${dotString(n.name)} [${attrs.join(", ")}];`;
}

export function renderPlanDot(plan: StartupPlan): string {
  const lines = [`digraph ${dotString(plan.taskDefinition)} {`, "  rankdir=LR;"];
  const blocked = new Set(plan.blocked.map((b) => b.name));
  for (const n of plan.nodes) lines.push(dotNode(n, blocked.has(n.name)));
  for (const e of plan.edges) {
    const attrs = [`label=${dotString(e.implicit ? `${e.condition}\n(added by ECS)` : e.condition)}`];
    attrs.push(e.implicit ? "style=dotted" : "penwidth=1.5");
    lines.push(`  ${dotString(e.to)} -> ${dotString(e.from)} [${attrs.join(", ")}];`);
  }
  if (plan.routerCrash !== undefined) {
    const text = `if ${plan.routerCrash.container} crashes:\n${plan.routerCrash.taskStops ? "the whole task stops" : "the task goes on"}`;
    lines.push(
      `  "flp:router-crash" [shape=note, color=red, fontcolor=red, label=${dotString(text)}];`,
      `  ${dotString(plan.routerCrash.container)} -> "flp:router-crash" [style=dashed, color=red, arrowhead=none];`,
    );
  }
  lines.push(
    "  subgraph cluster_legend {",
    '    label="Legend"; fontsize=10;',
    '    "flp:legend-essential" [label="essential:\\nits exit stops the task", shape=box, penwidth=2.5];',
    '    "flp:legend-optional" [label="not essential", shape=box, style=dashed];',
    '    "flp:legend-gate" [label="preflight gate", shape=hexagon, style="dashed,filled", fillcolor="#fef3c7"];',
    '    "flp:legend-essential" -> "flp:legend-optional" [label="dependsOn"];',
    '    "flp:legend-optional" -> "flp:legend-gate" [label="added by ECS", style=dotted];',
    "  }",
    "}",
  );
  return `${lines.join("\n")}\n`;
}
