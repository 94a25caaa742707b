/**
 * Issue 23: `plan -f json` states, per scenario (the router's crash, exit 139; each gate's failure, exit 1), which
 * containers start, which are held back with 143, which wait forever, and whether the task stops, runs (with or
 * without its router) or hangs; the text, Mermaid and DOT renderers say the same. The agent's rules behind each
 * outcome are cited in src/model/outcomes.ts (amazon-ecs-agent agent/engine/dependencygraph/graph.go and
 * agent/engine/task_manager.go).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildStartupPlan,
  renderPlanDot,
  renderPlanMermaid,
  renderPlanText,
  type StartupPlan,
  type StartupSummary,
  scenarioHeading,
  scenarioOutcome,
  scenariosOf,
  startupSummaries,
} from "../../src/plan/index.js";
import { mermaidText } from "../../src/plan/mermaid.js";
import { parseDocument } from "../../src/taskdef/index.js";
import { cli } from "../support/cli.js";

type PlanJson = (StartupPlan & { file: string })[];

const dir = mkdtempSync(join(tmpdir(), "flp-plan-outcomes-"));

function written(name: string, containers: unknown[]): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ family: name, containerDefinitions: containers }, null, 2));
  return file;
}

function planJson(file: string): PlanJson {
  const run = cli(["plan", "-f", "json", file]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as PlanJson;
}

function planOf(containers: unknown[]): StartupPlan {
  const doc = parseDocument(JSON.stringify({ family: "t", containerDefinitions: containers }), "t.json");
  const td = doc.taskDefinitions[0];
  if (td === undefined) throw new Error("no task definition");
  return buildStartupPlan(td);
}

const router = {
  name: "log-router",
  image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.34.0",
  firelensConfiguration: { type: "fluentbit" },
};
const healthCheck = { command: ["CMD-SHELL", "exit 0"], interval: 5 };
const logs = { logDriver: "awsfirelens", options: { Name: "datadog" } };
const probe = {
  name: "log-router-preflight",
  essential: false,
  environment: [{ name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "app" }],
  dependsOn: [{ containerName: "log-router", condition: "START" }],
};
const on = (name: string, condition: string) => ({ containerName: name, condition });

describe("plan -f json: outcomes per scenario", () => {
  it("the gated seed: a router crash stops the task; a failed gate holds the app back with 143", () => {
    const [plan] = planJson("examples/seed/after.json");
    expect(plan?.routerCrash).toMatchObject({
      container: "log-router",
      exitCode: 139,
      task: "stops",
      starts: ["dd-agent", "log-router-preflight"],
      heldBack: [],
      waitsForever: [],
      stoppedWithTask: ["app"],
    });
    expect(plan?.gateFailures).toMatchObject([
      {
        container: "log-router-preflight",
        exitCode: 1,
        task: "stops",
        starts: ["log-router", "dd-agent"],
        heldBack: ["app"],
        waitsForever: [],
      },
    ]);
    expect(plan?.gateFailures[0]?.outcomes.find((o) => o.container === "app")).toMatchObject({
      outcome: "held-back",
      exitCode: 143,
    });
  });

  it("1: a failed gate's START and COMPLETE waiters start wherever they are listed", () => {
    const [plan] = planJson("test/fixtures/cases/11-gate-waiters-by-order.json");
    expect(plan?.gateFailures[0]).toMatchObject({
      heldBack: ["app"],
      startAnyway: ["warmup"],
      starts: ["log-router", "metrics-sidecar"],
      task: "stops",
    });
  });

  it("2: HEALTHY on a non-essential router that crashes unhealthy: the app waits forever, the task hangs", () => {
    const file = written("healthy-hang", [
      { ...router, essential: false, healthCheck },
      { name: "app", logConfiguration: logs, dependsOn: [on("log-router", "HEALTHY")] },
    ]);
    const [plan] = planJson(file);
    expect(plan?.routerCrash).toMatchObject({ task: "hangs", waitsForever: ["app"], heldBack: [] });
    const text = cli(["plan", file]).stdout;
    expect(text).toContain("→ task hangs before RUNNING · waits forever: app");
  });

  it("3: a non-essential router that crashes: the app starts and the task runs without its router", () => {
    const [plan] = planJson(
      written("lose-logs", [
        { ...router, essential: false },
        { name: "app", logConfiguration: logs },
      ]),
    );
    expect(plan?.routerCrash).toMatchObject({ task: "runs-without-router", starts: ["app"], heldBack: [] });
    expect(plan?.routerCrash?.explanation).toContain("the awsfirelens log driver connects asynchronously");
  });

  it("4: plan orders a Service Connect service's task as check does: the proxy first", () => {
    const [plan] = planJson("test/fixtures/cases/09-service-connect.yaml");
    expect(plan?.stages[0]).toEqual(["ecs-service-connect (added by ECS)"]);
    expect(plan?.firelensEdges).toEqual({ kind: "dropped", because: ["service-connect"] });
  });

  it("5: a volumesFrom waiter shares its source's round; a three-part link refuses the task", () => {
    const [plan] = planJson(
      written("volumes", [
        { name: "config", essential: false },
        { name: "reader", volumesFrom: [{ sourceContainer: "config" }] },
        { name: "linked", links: ["config:cfg"] },
      ]),
    );
    expect(plan?.stages).toEqual([["config", "reader"], ["linked"]]);
    const [refused] = planJson(
      written("links", [{ name: "db" }, { name: "web", links: ["db:database:extra"] }]),
    );
    expect(refused?.refusal).toContain("Invalid link format");
    expect(refused?.stages).toEqual([]);
  });
});

describe("the renderers say the same of every scenario", () => {
  const plans: [string, StartupPlan][] = [
    [
      "a probe that fails with a non-essential router",
      planOf([
        { ...router, essential: false },
        probe,
        { name: "app", logConfiguration: logs, dependsOn: [on("log-router-preflight", "SUCCESS")] },
      ]),
    ],
    [
      "a hang on HEALTHY",
      planOf([
        { ...router, essential: false, healthCheck },
        { name: "app", logConfiguration: logs, dependsOn: [on("log-router", "HEALTHY")] },
      ]),
    ],
  ];

  it.each(plans)("%s", (_, plan) => {
    const scenarios = scenariosOf(plan);
    expect(scenarios.length).toBeGreaterThan(0);
    const text = renderPlanText(plan);
    const mermaid = renderPlanMermaid(plan);
    const dot = renderPlanDot(plan).replace(/\\n/g, " ");
    for (const c of scenarios) {
      const line = `${scenarioHeading(plan, c)}: ${scenarioOutcome(c)}`;
      expect(text).toContain(
        `    ${scenarioHeading(plan, c)}: ${c.explanation}\n      → ${scenarioOutcome(c)}\n`,
      );
      expect(mermaid).toContain(`>"${mermaidText(line)}"]`);
      expect(dot).toContain(line);
    }
  });

  it("the probe case names the probe's exit and the app held back, in every format", () => {
    const [, plan] = plans[0] as [string, StartupPlan];
    const line =
      "if log-router crashes (exit 139): task stops · also exits 1: log-router-preflight · held back (143): app";
    expect(renderPlanText(plan)).toContain(
      "→ task stops · also exits 1: log-router-preflight · held back (143): app",
    );
    expect(renderPlanMermaid(plan)).toContain(`t1_note_exit_1>"${mermaidText(line)}"]`);
    expect(renderPlanMermaid(plan)).toContain("t1_c_log_router -.- t1_note_exit_1");
    expect(renderPlanDot(plan).replace(/\\n/g, " ")).toContain(line);
  });
});

describe("check's startup summary, built in plan/", () => {
  it("check -f json carries each scenario's task outcome, as plan says it", () => {
    const run = cli(["check", "-f", "json", "examples/seed/after.json"]);
    const startup = (JSON.parse(run.stdout) as { startup: StartupSummary[] }).startup;
    expect(startup[0]?.ifExits.map((x) => [x.container, x.role, x.task])).toEqual([
      ["log-router", "router", "stops"],
      ["log-router-preflight", "gate", "stops"],
    ]);
    const [plan] = planJson("examples/seed/after.json");
    expect(startup[0]?.ifExits.map((x) => x.explanation)).toEqual(
      scenariosOf(plan as StartupPlan).map((c) => c.explanation),
    );
  });

  it("a hang is named in check's text as plan names it", () => {
    const file = written("check-hang", [
      { ...router, essential: false, healthCheck },
      { name: "app", logConfiguration: logs, dependsOn: [on("log-router", "HEALTHY")] },
    ]);
    const doc = parseDocument(JSON.stringify({ family: "h", containerDefinitions: [] }), "h.json");
    expect(startupSummaries(doc)).toEqual([
      expect.objectContaining({ taskDefinition: "h", ifExits: [], stages: [] }),
    ]);
    const text = cli(["check", file]).stdout;
    expect(text).toContain("if log-router crashes:");
    expect(text).toContain('"app" waits forever');
  });
});
