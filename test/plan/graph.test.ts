import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  buildStartupPlan,
  consequencesOfExit,
  renderPlanDot,
  renderPlanMermaid,
  renderPlanText,
} from "../../src/plan/index.js";
import { parseDocument } from "../../src/taskdef/index.js";

function planOf(containers: unknown[]) {
  const doc = parseDocument(JSON.stringify({ family: "t", containerDefinitions: containers }), "t.json");
  const td = doc.taskDefinitions[0];
  if (!td) throw new Error("no task definition");
  return buildStartupPlan(td);
}

const router = {
  name: "log-router",
  image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.34.0",
  firelensConfiguration: { type: "fluentbit" },
};
const fireLensLogs = { logDriver: "awsfirelens", options: { Name: "datadog" } };

describe("startup plan", () => {
  it("adds the agent's implicit START edge from awsfirelens containers to the router", () => {
    const plan = planOf([router, { name: "app", logConfiguration: fireLensLogs }]);
    expect(plan.edges).toEqual([{ from: "app", to: "log-router", condition: "START", implicit: true }]);
    expect(plan.stages).toEqual([["log-router"], ["app"]]);
    expect(plan.implicitEdgesDropped).toBe(false);
  });

  it("drops every implicit edge once the router has a dependsOn (ecs.md §1)", () => {
    const plan = planOf([
      { ...router, dependsOn: [{ containerName: "dd-agent", condition: "START" }] },
      { name: "dd-agent" },
      { name: "app", logConfiguration: fireLensLogs },
    ]);
    expect(plan.implicitEdgesDropped).toBe(true);
    expect(plan.edges.filter((e) => e.implicit)).toEqual([]);
    expect(plan.stages[0]).toEqual(expect.arrayContaining(["dd-agent", "app"]));
  });

  it("does not add an implicit edge when the container already waits for the router", () => {
    const plan = planOf([
      { ...router, healthCheck: { command: ["CMD", "true"] } },
      {
        name: "app",
        logConfiguration: fireLensLogs,
        dependsOn: [{ containerName: "log-router", condition: "HEALTHY" }],
      },
    ]);
    expect(plan.edges).toEqual([{ from: "app", to: "log-router", condition: "HEALTHY", implicit: false }]);
  });

  it("layers the seed's gate: router and agent, then preflight, then app", () => {
    const doc = parseDocument(readFileSync("examples/seed/before.json", "utf8"), "before.json");
    const td = doc.taskDefinitions[0];
    if (!td) throw new Error("no task definition");
    const plan = buildStartupPlan(td);
    expect(plan.stages).toEqual([["log-router", "dd-agent"], ["app"]]);
    expect(consequencesOfExit(plan, "log-router", 139).taskStops).toBe(true);
  });

  it("names what can never start, and why", () => {
    const plan = planOf([
      { name: "a", dependsOn: [{ containerName: "ghost", condition: "START" }] },
      { name: "b", dependsOn: [{ containerName: "c", condition: "START" }] },
      { name: "c", dependsOn: [{ containerName: "b", condition: "START" }] },
      { name: "d", dependsOn: [{ containerName: "e", condition: "HEALTHY" }] },
      { name: "e" },
      { name: "f", dependsOn: [{ containerName: "e", condition: "SUCCESS" }] },
      { name: "g", dependsOn: [{ containerName: "a", condition: "START" }] },
    ]);
    const reasons = Object.fromEntries(plan.blocked.map((b) => [b.name, b.reason]));
    expect(reasons.a).toBe('waits for "ghost", which is not in the task');
    expect(reasons.b).toBe("is on a dependency cycle (b → c → b)");
    expect(reasons.c).toBe("is on a dependency cycle (c → b → c)");
    expect(reasons.d).toBe('waits for "e" to be HEALTHY, but "e" has no healthCheck');
    expect(reasons.f).toBe('waits for essential "e" to succeed; its exit stops the task first');
    expect(reasons.g).toBe('waits for "a", which can never start');
    expect(plan.stages).toEqual([["e"]]);
  });

  it("a failed gate holds the app back with 143 and stops the task; a passed one does not", () => {
    const plan = planOf([
      router,
      {
        name: "log-router-preflight",
        essential: false,
        dependsOn: [{ containerName: "log-router", condition: "START" }],
      },
      {
        name: "app",
        logConfiguration: fireLensLogs,
        dependsOn: [{ containerName: "log-router-preflight", condition: "SUCCESS" }],
      },
      { name: "sidecar", essential: false, dependsOn: [{ containerName: "app", condition: "START" }] },
    ]);
    const failed = consequencesOfExit(plan, "log-router-preflight", 1);
    expect([...failed.heldBack].sort()).toEqual(["app", "sidecar"]);
    expect(failed.taskStops).toBe(true);
    const passed = consequencesOfExit(plan, "log-router-preflight", 0);
    expect(passed.heldBack).toEqual([]);
    expect(passed.taskStops).toBe(false);
  });
});

describe("plan renderers", () => {
  const plan = planOf([
    router,
    {
      name: "log-router-preflight",
      essential: false,
      dependsOn: [{ containerName: "log-router", condition: "START" }],
    },
    {
      name: "app",
      logConfiguration: fireLensLogs,
      dependsOn: [{ containerName: "log-router-preflight", condition: "SUCCESS" }],
    },
  ]);

  it("text shows stages, conditions, essential markers and what stops", () => {
    const text = renderPlanText(plan);
    expect(text).toContain("  stage 1\n    log-router [essential, FireLens router]\n");
    expect(text).toContain(
      "    app [essential]  waits for log-router-preflight SUCCESS, log-router START (implicit)\n",
    );
    expect(text).toContain(
      'if log-router-preflight exits 1: "app" stops with exit 143 (CannotStartContainerError); "app" is essential, so the task stops before it ever serves',
    );
  });

  it("mermaid draws dependencies before dependents, implicit ones dotted", () => {
    const mermaid = renderPlanMermaid(plan);
    expect(mermaid.split("\n")[0]).toBe("flowchart LR");
    expect(mermaid).toContain("c_log_router_preflight -->|SUCCESS| c_app");
    expect(mermaid).toContain("c_log_router -.->|START| c_app");
  });

  it("dot is a digraph with escaped labels", () => {
    const dot = renderPlanDot(plan);
    expect(dot).toContain(
      '"log-router" [label="log-router\\nessential\\nFireLens", shape=box3d, penwidth=2];',
    );
    expect(dot).toContain('"log-router-preflight" -> "app" [label="SUCCESS"];');
    expect(dot.trim().endsWith("}")).toBe(true);
  });
});
