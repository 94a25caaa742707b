/**
 * Issue 17: `plan -f mermaid` renders. Every input is drawn by the real `mermaid` package in headless chromium
 * and the SVG is read back: each container once, under its own name, essential ones thick and solid, the others
 * thin and dashed, the router and gate by class, containers that never start in red, every start edge with its
 * condition (the agent's dotted, written ones thick), the verdict as a note on the router, one box per task
 * definition and the legend; no parse error, no console error. Under CI a missing browser fails the test.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderPlanMermaid, type StartupPlan } from "../../src/plan/index.js";
import { browserTestsRun } from "../support/chromium.js";
import { cli } from "../support/cli.js";
import { type MermaidRender, type MermaidRenderer, openMermaid } from "../support/mermaid.js";
import { runs } from "../support/runs.js";
import { arbitraryPlans, DIAGRAM_INPUTS, distinctNodes, expectedRole, squash } from "./inputs.js";

const RED = "rgb(185, 28, 28)";

/** The mermaid node id inside `flp<n>-flowchart-<id>-<k>`. */
const nodeId = (domId: string) => domId.replace(/^flp\d+-flowchart-/, "").replace(/-\d+$/, "");
/** The mermaid id of an edge's path is `flp<n>-L_<from>_<to>_<k>`. */
const edgeBetween = (r: MermaidRender, from: string, to: string) =>
  r.edges.filter((e) => new RegExp(`^flp\\d+-L_${from}_${to}_\\d+$`).test(e.id));

function expectContainers(plan: StartupPlan, task: number, r: MermaidRender): Map<string, string> {
  const ids = new Map<string, string>();
  const blocked = new Set(plan.blocked.map((b) => b.name));
  const mine = r.nodes.filter((n) => nodeId(n.id).startsWith(`t${task}_c_`));
  expect(mine).toHaveLength(distinctNodes(plan).length);
  for (const n of distinctNodes(plan)) {
    const found = mine.filter((m) => m.label === squash(`${n.name}${expectedRole(n)}`));
    expect(found, `container ${JSON.stringify(n.name)}`).toHaveLength(1);
    const [drawn] = found;
    if (drawn === undefined) continue;
    ids.set(n.name, nodeId(drawn.id));
    expect([drawn.strokeWidth, drawn.dashed], `${n.name} essential=${n.essential}`).toEqual(
      n.essential ? ["3px", false] : ["1px", true],
    );
    expect(drawn.stroke === RED, `${n.name} drawn red iff it never starts`).toBe(blocked.has(n.name));
    if (n.router) expect(drawn.classes).toContain("router");
    if (n.role === "gate") expect(drawn.classes).toContain("gate");
    expect(drawn.width).toBeGreaterThan(20);
  }
  return ids;
}

function expectPlan(plan: StartupPlan, task: number, r: MermaidRender): void {
  expect(r.clusters).toContain(squash(plan.taskDefinition));
  const ids = expectContainers(plan, task, r);
  const between = r.edges.filter((e) => /^flp\d+-L_t\d+_c_/.test(e.id) && !e.id.includes("_note_"));
  const mine = between.filter((e) => e.id.includes(`L_t${task}_c_`));
  expect(mine).toHaveLength(plan.edges.length);
  for (const e of plan.edges) {
    const drawn = edgeBetween(r, ids.get(e.to) ?? "?", ids.get(e.from) ?? "?");
    const label = e.implicit ? `${e.condition} · added by ECS` : e.condition;
    expect(
      drawn.map((d) => d.label),
      `${e.to} → ${e.from}`,
    ).toContain(squash(label));
    const d = drawn.find((x) => x.label === squash(label));
    expect(d?.classes).toContain(e.implicit ? "edge-pattern-dotted" : "edge-thickness-thick");
    expect(d?.strokeWidth).toBe(e.implicit ? "2px" : "3.5px");
  }
  const verdict = r.nodes.filter((n) => nodeId(n.id) === `t${task}_note_verdict`);
  expect(verdict.map((n) => n.label)).toEqual([squash(plan.verdict)]);
  const router = plan.nodes.find((n) => n.router);
  const onRouter =
    router === undefined ? [] : edgeBetween(r, ids.get(router.name) ?? "?", `t${task}_note_verdict`);
  expect(onRouter).toHaveLength(router !== undefined && plan.refusal === undefined ? 1 : 0);
}

describe.skipIf(!browserTestsRun())("plan -f mermaid in headless chromium (issue 17)", () => {
  let mermaid: MermaidRenderer;
  beforeAll(async () => {
    mermaid = await openMermaid();
  }, 60_000);
  afterAll(async () => {
    await mermaid?.close();
  });

  it.each(DIAGRAM_INPUTS)(
    "%s: renders with every container, edge, verdict and the legend",
    async (_, plans) => {
      const r = await mermaid.render(renderPlanMermaid(plans));
      expect(r.error).toBeUndefined();
      expect(r.text).not.toMatch(/syntax error|parse error|lexical error/i);
      expect(mermaid.page.errors).toEqual([]);
      for (const [i, plan] of plans.entries()) expectPlan(plan, i + 1, r);
      expect(r.clusters).toContain("Legend");
      const legend = r.nodes.filter((n) => /^l_/.test(nodeId(n.id))).map((n) => n.label);
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
      expect(r.edges.map((e) => e.label)).toEqual(expect.arrayContaining(["dependsOn", "added by ECS"]));
      expect(r.width).toBeGreaterThan(300);
    },
    30_000,
  );

  it.each(["examples/seed/before.json", "examples/seed/after.json"])(
    "the CLI's `plan -f mermaid %s` renders as it is printed",
    async (file) => {
      const run = cli(["plan", "-f", "mermaid", file]);
      expect(run.code).toBe(0);
      const r = await mermaid.render(run.stdout);
      expect(r.error).toBeUndefined();
      expect(r.nodes.filter((n) => n.classes.includes("router")).map((n) => n.label)).toContain(
        "log-routerFireLens router · essential",
      );
      expect(mermaid.page.errors).toEqual([]);
    },
    30_000,
  );

  it("any names and conditions render, each container once under its own name (property)", async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryPlans(), async (plans) => {
        const r = await mermaid.render(renderPlanMermaid(plans));
        expect(r.error).toBeUndefined();
        for (const [i, plan] of plans.entries()) expectPlan(plan, i + 1, r);
      }),
      { numRuns: runs(40), seed: 17 },
    );
    expect(mermaid.page.errors).toEqual([]);
  }, 120_000);

  it("one output for several task definitions is one diagram (Mermaid reads one per document)", () => {
    const text = renderPlanMermaid(DIAGRAM_INPUTS.flatMap(([, plans]) => plans));
    expect(text.match(/^flowchart /gm)).toHaveLength(1);
    expect(text.match(/^ {2}subgraph t\d+_task\[/gm)).toHaveLength(
      DIAGRAM_INPUTS.flatMap(([, p]) => p).length,
    );
  });

  it("all inputs in one diagram still render, ids apart across task definitions", async () => {
    const plans = DIAGRAM_INPUTS.flatMap(([, p]) => p);
    const r = await mermaid.render(renderPlanMermaid(plans));
    expect(r.error).toBeUndefined();
    for (const [i, plan] of plans.entries()) expectPlan(plan, i + 1, r);
    expect(mermaid.page.errors).toEqual([]);
  }, 60_000);
});
