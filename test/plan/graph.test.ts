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
    expect(plan.edges).toEqual([
      { from: "app", to: "log-router", condition: "START", implicit: true, source: "firelens" },
    ]);
    expect(plan.stages).toEqual([["log-router"], ["app"]]);
    expect(plan.implicitEdgesDropped).toBe(false);
  });

  it("drops every implicit edge once the router has a dependsOn (agent/api/task/task.go)", () => {
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
    expect(plan.edges).toEqual([
      { from: "app", to: "log-router", condition: "HEALTHY", implicit: false, source: "dependsOn" },
    ]);
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
      { name: "e" },
      { name: "f", dependsOn: [{ containerName: "e", condition: "SUCCESS" }] },
      { name: "g", dependsOn: [{ containerName: "f", condition: "START" }] },
    ]);
    const reasons = Object.fromEntries(plan.blocked.map((b) => [b.name, b.reason]));
    expect(reasons.f).toBe('waits for essential "e" to succeed; its exit stops the task first');
    expect(reasons.g).toBe('waits for "f", which can never start');
    expect(plan.stages).toEqual([["e"]]);
    expect(plan.refusal).toBeUndefined();
  });

  // Case 10: the agent checks the whole graph before it starts anything (ValidDependencies,
  // agent/engine/dependencygraph/graph.go), so one unresolvable dependency means no container starts at all.
  it.each([
    [
      "a dependency on a container that is not there",
      [{ name: "a", dependsOn: [{ containerName: "ghost", condition: "START" }] }, { name: "b" }],
      '"a" depends on "ghost", which is not in the task',
    ],
    [
      "a cycle",
      [
        { name: "b", dependsOn: [{ containerName: "c", condition: "START" }] },
        { name: "c", dependsOn: [{ containerName: "b", condition: "START" }] },
        { name: "x" },
      ],
      'dependency cycle "b" → "c" → "b"',
    ],
    [
      "HEALTHY on a container without a healthCheck",
      [{ name: "d", dependsOn: [{ containerName: "e", condition: "HEALTHY" }] }, { name: "e" }],
      '"d" waits for "e" to be HEALTHY, but "e" has no healthCheck',
    ],
  ])("%s: the agent refuses the task and nothing starts", (_, containers, reason) => {
    const plan = planOf(containers);
    expect(plan.refusal).toBe(reason);
    expect(plan.stages).toEqual([]);
    expect(plan.blocked.map((b) => b.name).sort()).toEqual(plan.nodes.map((n) => n.name).sort());
    // Nothing runs, so nothing can exit: no scenario (issue 23).
    expect(plan.routerCrash).toBeUndefined();
    expect(plan.gateFailures).toEqual([]);
    expect(renderPlanText(plan)).toContain(
      `the ECS agent refuses this task before starting any container: ${reason}`,
    );
  });

  // Case 9: any ordering of the router's own drops the implicit FireLens edges (agent/api/task/task.go:
  // initializeContainerOrdering turns links and volumesFrom into dependencies before addFirelensContainerDependency).
  it.each([
    ["links", { links: ["dd-agent:agent"] }, ["links"]],
    ["volumesFrom", { volumesFrom: [{ sourceContainer: "dd-agent" }] }, ["volumesFrom"]],
  ])("the router's %s drop the implicit START edges", (_, extra, because) => {
    const plan = planOf([
      { ...router, ...extra },
      { name: "dd-agent" },
      { name: "app", logConfiguration: fireLensLogs },
    ]);
    expect(plan.firelensEdges).toEqual({ kind: "dropped", because });
    expect(plan.edges.some((e) => e.source === "firelens")).toBe(false);
    expect(plan.stages[0]).toEqual(expect.arrayContaining(["dd-agent", "app"]));
  });

  it("with Service Connect every container waits for the proxy, the router too, so no FireLens edge is added", () => {
    const doc = parseDocument(
      JSON.stringify({
        family: "t",
        containerDefinitions: [router, { name: "app", logConfiguration: fireLensLogs }],
      }),
      "t.json",
    );
    const td = doc.taskDefinitions[0];
    if (!td) throw new Error("no task definition");
    const plan = buildStartupPlan(td, { serviceConnect: true });
    expect(plan.firelensEdges).toEqual({ kind: "dropped", because: ["service-connect"] });
    expect(plan.edges.filter((e) => e.source === "service-connect").map((e) => e.from)).toEqual([
      "log-router",
      "app",
    ]);
    expect(plan.stages[0]).toEqual(["ecs-service-connect (added by ECS)"]);
    expect(plan.stages[1]).toEqual(["log-router", "app"]);
  });

  // Case 11, corrected by issue 23 item 1: a container that ran is never HasNotAndWillNotStart, so its START and
  // COMPLETE waiters are not stopped with 143 wherever they stand in container order (verifyContainerOrdering
  // StatusResolvable, agent/engine/dependencygraph/graph.go): START was met while it ran, COMPLETE by its stop.
  it("a START or COMPLETE waiter on a failed gate starts, before or after it in container order", () => {
    const plan = planOf([
      router,
      { name: "early", essential: false, dependsOn: [{ containerName: "gate", condition: "COMPLETE" }] },
      {
        name: "gate",
        essential: false,
        environment: [{ name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "app" }],
        dependsOn: [{ containerName: "log-router", condition: "START" }],
      },
      { name: "late", essential: false, dependsOn: [{ containerName: "gate", condition: "START" }] },
      {
        name: "app",
        logConfiguration: fireLensLogs,
        dependsOn: [{ containerName: "gate", condition: "SUCCESS" }],
      },
    ]);
    const failed = consequencesOfExit(plan, "gate", 1);
    expect(failed.heldBack).toEqual(["app"]);
    expect(failed.startAnyway).toEqual(["early"]);
    expect(failed.starts).toEqual(["log-router", "late"]);
    expect(failed.task).toBe("stops");
    expect(failed.taskStops).toBe(true);
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

  it("mermaid draws dependencies before dependents, implicit ones dotted, essential and gate by class, with a legend", () => {
    const mermaid = renderPlanMermaid(plan);
    expect(mermaid.split("\n")[0]).toBe("flowchart LR");
    expect(mermaid).toContain('  subgraph t1_task["t"]\n');
    expect(mermaid).toContain('t1_c_log_router_preflight ==>|"SUCCESS"| t1_c_app');
    expect(mermaid).toContain('t1_c_log_router -.->|"START · added by ECS"| t1_c_app');
    expect(mermaid).toContain(
      't1_c_log_router_preflight{{"log-router-preflight<br/><small>preflight gate · not essential</small>"}}',
    );
    expect(mermaid).toContain('t1_c_app["app<br/><small>essential</small>"]');
    expect(mermaid).toMatch(/class [^\n]*\bt1_c_app\b[^\n]* essential\n/);
    expect(mermaid).toMatch(/class [^\n]*\bt1_c_log_router_preflight\b[^\n]* optional\n/);
    expect(mermaid).toContain('subgraph legend["Legend"]');
    expect(mermaid).toContain(`t1_note_verdict>"${plan.verdict}"]`);
    expect(mermaid).toContain("t1_c_log_router -.- t1_note_verdict");
  });

  it("mermaid keeps containers whose names differ only in punctuation apart, and escapes what Mermaid reads", () => {
    const odd = planOf([
      router,
      { name: "log_router", essential: false },
      { name: '`a` "b" #quot; &amp; <i> |x|', essential: false },
    ]);
    const mermaid = renderPlanMermaid(odd);
    expect(mermaid).toContain("t1_c_log_router[[");
    expect(mermaid).toContain("t1_c_log_router_2[");
    expect(mermaid).toContain(
      't1_c_a_b_quot_amp_i_x["#96;a#96; #quot;b#quot; #35;quot; #38;amp; #lt;i#gt; #124;x#124;<br/>',
    );
  });

  it("a refused task: the verdict says so and hangs on no container", () => {
    const refused = planOf([
      { ...router, dependsOn: [{ containerName: "ghost", condition: "START" }] },
      { name: "app", logConfiguration: fireLensLogs },
    ]);
    const mermaid = renderPlanMermaid(refused);
    expect(mermaid).toContain('t1_note_verdict>"the ECS agent refuses this task before any container starts');
    expect(mermaid).not.toContain("-.- t1_note_verdict");
    expect(mermaid).toContain('l_blocked["never starts"]');
  });

  it("dot is one digraph with escaped labels, essential, gate and implicit edges drawn apart, and a legend", () => {
    const dot = renderPlanDot(plan);
    expect(dot).toContain('  subgraph cluster_t1_task {\n    label="t";\n');
    expect(dot).toContain(
      't1_c_log_router [label="log-router\\nFireLens router · essential", shape=box3d, style="filled", penwidth=3, color="#1d4ed8", fillcolor="#dbeafe"];',
    );
    expect(dot).toContain(
      't1_c_log_router_preflight [label="log-router-preflight\\npreflight gate · not essential", shape=hexagon, style="dashed,filled", penwidth=1,',
    );
    expect(dot).toContain(
      't1_c_log_router_preflight -> t1_c_app [label="SUCCESS", style=solid, penwidth=2.5];',
    );
    expect(dot).toContain(
      't1_c_log_router -> t1_c_app [label="START\\nadded by ECS", style=dotted, penwidth=1.5];',
    );
    expect(dot).toContain("subgraph cluster_legend");
    expect(dot.match(/^digraph /gm)).toHaveLength(1);
    expect(dot.trim().endsWith("}")).toBe(true);
  });

  it("dot escapes quotes, backslashes, line breaks and entities", () => {
    const dot = renderPlanDot(planOf([{ name: 'a "b" \\ c\nd &amp;' }]));
    expect(dot).toContain('label="a \\"b\\" \\\\ c\\nd &amp;amp;\\nessential"');
  });
});
