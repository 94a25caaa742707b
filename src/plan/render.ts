/** Renderers for a startup plan: plain text for people, Mermaid and DOT for diagrams. Pure: they return strings. */
import { consequencesOfExit, type StartupNode, type StartupPlan } from "./graph.js";

function markers(node: StartupNode): string {
  const tags: string[] = [];
  if (node.essential) tags.push("essential");
  if (node.router) tags.push("FireLens router");
  return tags.length > 0 ? ` [${tags.join(", ")}]` : "";
}

/** Every non-essential container that something waits on with SUCCESS: the gates and init containers. */
function gateLike(plan: StartupPlan): string[] {
  return plan.nodes
    .filter((n) => !n.essential && plan.edges.some((e) => e.to === n.name && e.condition === "SUCCESS"))
    .map((n) => n.name);
}

export function renderPlanText(plan: StartupPlan): string {
  const lines: string[] = [`startup order of ${plan.taskDefinition}:`];
  plan.stages.forEach((stage, i) => {
    lines.push(`  stage ${i + 1}`);
    for (const name of stage) {
      const node = plan.nodes.find((n) => n.name === name);
      const waits = plan.edges
        .filter((e) => e.from === name)
        .map((e) => `${e.to} ${e.condition}${e.implicit ? " (implicit)" : ""}`);
      lines.push(
        `    ${name}${node ? markers(node) : ""}${waits.length > 0 ? `  waits for ${waits.join(", ")}` : ""}`,
      );
    }
  });
  if (plan.blocked.length > 0) {
    lines.push("  never starts");
    for (const b of plan.blocked) lines.push(`    ${b.name}: ${b.reason}`);
  }
  if (plan.implicitEdgesDropped) {
    lines.push(
      "  note: the router has a dependsOn, so the agent adds no implicit START dependency on it for awsfirelens containers",
    );
  }
  const router = plan.nodes.find((n) => n.router);
  const stops: string[] = [];
  if (router)
    stops.push(`    if ${router.name} crashes: ${consequencesOfExit(plan, router.name, 139).explanation}`);
  for (const gate of gateLike(plan)) {
    stops.push(`    if ${gate} exits 1: ${consequencesOfExit(plan, gate, 1).explanation}`);
  }
  if (stops.length > 0) lines.push("  what stops", ...stops);
  return `${lines.join("\n")}\n`;
}

function mermaidId(name: string): string {
  return `c_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

export function renderPlanMermaid(plan: StartupPlan): string {
  const lines = ["flowchart LR"];
  for (const n of plan.nodes) {
    const label = `${n.name}${n.essential ? "<br/>essential" : ""}${n.router ? "<br/>FireLens" : ""}`;
    lines.push(`  ${mermaidId(n.name)}["${label.replace(/"/g, "#quot;")}"]`);
  }
  for (const e of plan.edges) {
    const arrow = e.implicit ? "-.->" : "-->";
    // Arrows point in start order: the dependency first, then the container that waits for it.
    lines.push(`  ${mermaidId(e.to)} ${arrow}|${e.condition}| ${mermaidId(e.from)}`);
  }
  for (const b of plan.blocked) lines.push(`  style ${mermaidId(b.name)} stroke:#c00,stroke-width:2px`);
  return `${lines.join("\n")}\n`;
}

function dotString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

export function renderPlanDot(plan: StartupPlan): string {
  const lines = [`digraph ${dotString(plan.taskDefinition)} {`, "  rankdir=LR;"];
  for (const n of plan.nodes) {
    const attrs = [
      `label=${dotString(`${n.name}${n.essential ? "\nessential" : ""}${n.router ? "\nFireLens" : ""}`)}`,
      `shape=${n.router ? "box3d" : "box"}`,
      n.essential ? "penwidth=2" : "style=dashed",
    ];
    if (plan.blocked.some((b) => b.name === n.name)) attrs.push("color=red");
    lines.push(`  ${dotString(n.name)} [${attrs.join(", ")}];`);
  }
  for (const e of plan.edges) {
    const attrs = [`label=${dotString(e.condition)}`];
    if (e.implicit) attrs.push("style=dotted");
    lines.push(`  ${dotString(e.to)} -> ${dotString(e.from)} [${attrs.join(", ")}];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
