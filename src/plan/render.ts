/**
 * The text renderer of a startup plan, for people in a terminal (Mermaid and DOT live in mermaid.ts and dot.ts).
 * Pure: it returns a string. Every renderer shows the same facts: essential containers, the gate, the edges the
 * ECS agent adds, what never starts, and what each scenario (a router crash, a failed gate) does to every
 * container and to the task.
 */
import type { BranchStartup, StartupNode, StartupPlan } from "./graph.js";
import { scenarioHeading, scenarioOutcome, scenariosOf } from "./scenario.js";

function markers(node: StartupNode): string {
  const tags: string[] = [];
  if (node.essential) tags.push("essential");
  if (node.router) tags.push("FireLens router");
  if (node.role === "gate") tags.push("gate");
  if (node.role === "agent") tags.push("Datadog Agent");
  if (node.role === "ecs") tags.push("added by ECS");
  return tags.length > 0 ? ` [${tags.join(", ")}]` : "";
}

function droppedNote(plan: BranchStartup, pad: string): string | undefined {
  if (plan.firelensEdges.kind !== "dropped") return undefined;
  return `${pad}note: the router has start dependencies of its own (${plan.firelensEdges.because.join(", ")}), so the agent adds no implicit START dependency on it for awsfirelens containers`;
}

/** One way the task starts: its rounds, what never starts, and what each scenario does; `pad` indents it. */
function startupLines(plan: BranchStartup, pad: string): string[] {
  const lines: string[] = [];
  if (plan.refusal !== undefined) {
    lines.push(`${pad}the ECS agent refuses this task before starting any container: ${plan.refusal}`);
  }
  const nodeByName = new Map(plan.nodes.map((n) => [n.name, n]));
  const waitsOf = new Map<string, StartupPlan["edges"][number][]>();
  for (const e of plan.edges) waitsOf.set(e.from, [...(waitsOf.get(e.from) ?? []), e]);
  plan.stages.forEach((stage, i) => {
    lines.push(`${pad}stage ${i + 1}`);
    for (const name of stage) {
      const node = nodeByName.get(name);
      const waits = (waitsOf.get(name) ?? []).map(
        (e) =>
          `${e.to} ${e.condition}${e.implicit ? ` (implicit${e.source === "firelens" ? "" : `, ${e.source}`})` : ""}`,
      );
      lines.push(
        `${pad}  ${name}${node ? markers(node) : ""}${waits.length > 0 ? `  waits for ${waits.join(", ")}` : ""}`,
      );
    }
  });
  // Never an empty order: a task none of whose containers can be read says so (its verdict says why).
  if (plan.nodes.length === 0) lines.push(`${pad}no container can be read before deploy`);
  if (plan.blocked.length > 0 && plan.refusal === undefined) {
    lines.push(`${pad}never starts`);
    for (const b of plan.blocked) lines.push(`${pad}  ${b.name}: ${b.reason}`);
  }
  const note = droppedNote(plan, pad);
  if (note !== undefined) lines.push(note);
  const stops: string[] = [];
  for (const c of scenariosOf(plan)) {
    stops.push(`${pad}  ${scenarioHeading(plan, c)}: ${c.explanation}`, `${pad}    → ${scenarioOutcome(c)}`);
  }
  if (stops.length > 0 && plan.refusal === undefined) lines.push(`${pad}what stops`, ...stops);
  return lines;
}

export function renderPlanText(plan: StartupPlan): string {
  const lines: string[] = [`startup order of ${plan.taskDefinition}:`];
  // Where the task's conditions change how it starts, each way is shown under the conditions that choose it.
  if (plan.branches.length === 0) lines.push(...startupLines(plan, "  "));
  for (const way of plan.branches) lines.push(`  when ${way.when}:`, ...startupLines(way, "    "));
  if (plan.unreadable.length > 0)
    lines.push(`  left out, cannot be read before deploy: ${plan.unreadable.join("; ")}`);
  if (plan.deployTime.length > 0) lines.push(`  only known at deploy time: ${plan.deployTime.join("; ")}`);
  // Unknown is a verdict of its own, and a task read per condition differs by branch: neither may pass for the
  // one reading the stages above show.
  if (plan.verdict.startsWith("unknown: ") || plan.verdict.startsWith("depends on conditions: "))
    lines.push(`  verdict: ${plan.verdict}`);
  return `${lines.join("\n")}\n`;
}
