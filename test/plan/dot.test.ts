/**
 * Issue 17: `plan -f dot` renders. Every input is laid out by real Graphviz (`@hpcc-js/wasm-graphviz`, offline)
 * and the SVG read back: each container once, its name and role as the label, essential ones bold and solid,
 * the others thin and dashed, containers that never start in red, every start edge with its condition (the
 * agent's dotted), the verdict as a note on the router, a cluster per task definition and the legend.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderPlanDot, type StartupPlan } from "../../src/plan/index.js";
import { cli } from "../support/cli.js";
import { type DotRender, renderDot } from "../support/graphviz.js";
import { runs } from "../support/runs.js";
import { arbitraryPlans, DIAGRAM_INPUTS, distinctNodes, expectedRole, squash } from "./inputs.js";

const RED = "#b91c1c";

function expectPlan(plan: StartupPlan, task: number, r: DotRender): void {
  const cluster = r.clusters.find((c) => c.title === `cluster_t${task}_task`);
  expect(cluster?.texts).toEqual([plan.taskDefinition]);
  const mine = r.nodes.filter((n) => n.title.startsWith(`t${task}_c_`));
  expect(mine).toHaveLength(distinctNodes(plan).length);
  const blocked = new Set(plan.blocked.map((b) => b.name));
  const ids = new Map<string, string>();
  for (const n of distinctNodes(plan)) {
    const label = `${n.name.replace(/\r?\n|\r/g, "\n")}\n${expectedRole(n)}`;
    const found = mine.filter((m) => m.texts.join("\n") === label);
    expect(found, `container ${JSON.stringify(n.name)}`).toHaveLength(1);
    const [drawn] = found;
    if (drawn === undefined) continue;
    ids.set(n.name, drawn.title);
    expect([drawn.strokeWidth, drawn.dashArray], `${n.name} essential=${n.essential}`).toEqual(
      n.essential ? [3, ""] : [1, "5,2"],
    );
    expect(drawn.stroke === RED, `${n.name} drawn red iff it never starts`).toBe(blocked.has(n.name));
  }
  const between = r.edges.filter((e) => new RegExp(`^t${task}_c_.*->t${task}_c_`).test(e.title));
  expect(between).toHaveLength(plan.edges.length);
  for (const e of plan.edges) {
    const drawn = between.filter((d) => d.title === `${ids.get(e.to)}->${ids.get(e.from)}`);
    const label = e.implicit ? `${e.condition} added by ECS` : e.condition;
    const d = drawn.find((x) => squash(x.texts.join(" ")) === squash(label));
    expect(d, `${e.to} → ${e.from} ${label}`).toBeDefined();
    expect(d?.dashArray).toBe(e.implicit ? "1,5" : "");
  }
  const verdict = r.nodes.find((n) => n.title === `t${task}_note_verdict`);
  expect(squash(verdict?.texts.join(" ") ?? "")).toBe(squash(plan.verdict));
  const router = plan.nodes.find((n) => n.router);
  const onRouter = r.edges.filter((e) => e.title === `${ids.get(router?.name ?? "")}->t${task}_note_verdict`);
  expect(onRouter).toHaveLength(router !== undefined && plan.refusal === undefined ? 1 : 0);
}

describe("plan -f dot laid out by Graphviz (issue 17)", () => {
  it.each(DIAGRAM_INPUTS)("%s: every container, edge, verdict and the legend", async (_, plans) => {
    const source = renderPlanDot(plans);
    expect(source.match(/^digraph /gm)).toHaveLength(1);
    const r = await renderDot(source);
    for (const [i, plan] of plans.entries()) expectPlan(plan, i + 1, r);
    expect(r.clusters.find((c) => c.title === "cluster_legend")?.texts).toEqual(["Legend"]);
    const legend = r.nodes.filter((n) => n.title.startsWith("l_")).map((n) => n.texts.join(" "));
    expect(legend).toEqual(
      expect.arrayContaining([
        "essential: its exit stops the task",
        "not essential",
        "FireLens router",
        "preflight gate",
        "verdict: what a router crash does",
      ]),
    );
    expect(legend.includes("never starts")).toBe(plans.some((p) => p.blocked.length > 0));
    const legendEdges = r.edges.filter((e) => e.title.startsWith("l_")).map((e) => e.texts.join(" "));
    expect(legendEdges.sort()).toEqual(["added by ECS", "dependsOn"]);
  });

  it.each(["examples/seed/before.json", "examples/seed/after.json"])(
    "the CLI's `plan -f dot %s` lays out as it is printed",
    async (file) => {
      const run = cli(["plan", "-f", "dot", file]);
      expect(run.code).toBe(0);
      const r = await renderDot(run.stdout);
      expect(r.nodes.find((n) => n.title === "t1_c_log_router")?.texts).toEqual([
        "log-router",
        "FireLens router · essential",
      ]);
    },
  );

  it("any names and conditions lay out, each container once under its own name (property)", async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryPlans(), async (plans) => {
        const r = await renderDot(renderPlanDot(plans));
        for (const [i, plan] of plans.entries()) expectPlan(plan, i + 1, r);
      }),
      { numRuns: runs(200), seed: 17 },
    );
  });

  it("all inputs in one digraph: one SVG, ids apart across task definitions", async () => {
    const plans = DIAGRAM_INPUTS.flatMap(([, p]) => p);
    const r = await renderDot(renderPlanDot(plans));
    expect(r.svg.match(/<svg /g)).toHaveLength(1);
    for (const [i, plan] of plans.entries()) expectPlan(plan, i + 1, r);
  });
});
