/**
 * A task whose container list has a gap (an element chosen by `Fn::If`, one spliced from a module output) is
 * numbered where its containers are written, so its start order cannot be read across the gap: the plan and
 * check's startup summary read each branch's dense view instead, show every way the task starts when the
 * conditions change it, and never print an empty order. The model's passes also answer a reading with a gap.
 */
import { describe, expect, it } from "vitest";
import { consequencesOfExit, readTask, startOrder } from "../../src/model/index.js";
import {
  buildStartupPlan,
  gateVerdict,
  renderPlanMermaid,
  renderPlanText,
  type StartupPlan,
  startupSummaries,
  startupSummaryLines,
} from "../../src/plan/index.js";
import { loadDocument, parseDocument, type TaskDefinitionDocument } from "../../src/taskdef/index.js";
import { cli } from "../support/cli.js";

const CONTAINER_IF = "test/fixtures/conditions/container-if.json";
const SPLICED = "test/fixtures/conditions/spliced-containers.tf";
const HEALTH_IF = "test/fixtures/conditions/router-health-if.yaml";

async function docOf(file: string): Promise<TaskDefinitionDocument> {
  return loadDocument(file);
}

async function planOf(file: string): Promise<StartupPlan> {
  const td = (await docOf(file)).taskDefinitions[0];
  if (td === undefined) throw new Error(`no task definition in ${file}`);
  return buildStartupPlan(td);
}

describe("model: a reading with a gap is ordered where its containers are written", () => {
  it("startOrder and an exit's outcome answer in written indexes (Fn::If element #0, web #1)", async () => {
    const td = (await docOf(CONTAINER_IF)).taskDefinitions[0];
    if (td === undefined) throw new Error("no task");
    const task = readTask(td);
    // The raw view reads web at its written place: the nodes are not numbered by position.
    expect(task.nodes.map((n) => [n.name, n.index])).toEqual([["web", 1]]);
    expect(startOrder(task)).toEqual({ stages: [[1]], blocked: [] });
    const exit = consequencesOfExit(task, 1, 1);
    expect(exit.outcomes.map((o) => [o.node, o.outcome])).toEqual([[1, "exits"]]);
    expect(exit.explanation).toContain('"web" is essential');
  });

  it("a Service Connect proxy on a reading with a gap is a node of its own, not a cycle through web", async () => {
    const td = (await docOf(CONTAINER_IF)).taskDefinitions[0];
    if (td === undefined) throw new Error("no task");
    const task = readTask(td, { serviceConnect: true });
    expect(task.refusal).toBeUndefined();
    const proxy = task.nodes.find((n) => n.addedByEcs);
    expect(proxy?.index).toBe(2);
    expect(startOrder(task)).toEqual({ stages: [[2], [1]], blocked: [] });
  });
});

describe("plan: each way the task starts, under the conditions that choose it", () => {
  it("a router chosen by Fn::If: both ways, the router's crash in the one that has it", async () => {
    const plan = await planOf(CONTAINER_IF);
    expect(plan.branches.map((b) => [b.when, b.stages])).toEqual([
      ["condition WithRouter is true", [["log-router"], ["web"]]],
      ["condition WithRouter is false", [["web"]]],
    ]);
    expect(plan.shows).toBe("condition WithRouter is true");
    // The top-level fields show the first way, never an empty order.
    expect(plan.stages).toEqual([["log-router"], ["web"]]);
    expect(plan.nodes.map((n) => [n.name, n.index, n.role])).toEqual([
      ["log-router", 0, "router"],
      ["web", 1, "app"],
    ]);
    expect(plan.branches[0]?.routerCrash).toMatchObject({ container: "log-router", task: "stops" });
    expect(plan.branches[1]?.routerCrash).toBeUndefined();
    expect(plan.unreadable).toEqual([]);

    const text = renderPlanText(plan);
    expect(text).toContain(
      [
        "  when condition WithRouter is true:",
        "    stage 1",
        "      log-router [essential, FireLens router]",
        "    stage 2",
        "      web [essential]  waits for log-router START (implicit)",
        "    what stops",
      ].join("\n"),
    );
    expect(text).toContain(
      ["  when condition WithRouter is false:", "    stage 1", "      web [essential]"].join("\n"),
    );
    expect(text).toContain("  verdict: depends on conditions: when condition WithRouter is true: not gated");
    // A diagram draws one way: its title says which.
    expect(renderPlanMermaid(plan)).toContain("Task (when condition WithRouter is true)");
  });

  it("a health check chosen by a condition: the way without it is the agent's refusal", async () => {
    const plan = await planOf(HEALTH_IF);
    expect(plan.branches).toHaveLength(2);
    expect(plan.branches[0]).toMatchObject({
      when: "condition UseHealthCheck is true",
      stages: [["log-router"], ["log-router-preflight"], ["web"]],
      refusal: undefined,
    });
    expect(plan.branches[1]?.when).toBe("condition UseHealthCheck is false");
    expect(plan.branches[1]?.refusal).toContain('"log-router" has no healthCheck');
    expect(plan.branches[1]?.stages).toEqual([]);
    const text = renderPlanText(plan);
    expect(text).toContain(
      '  when condition UseHealthCheck is false:\n    the ECS agent refuses this task before starting any container: "log-router-preflight" waits for "log-router" to be HEALTHY',
    );
  });

  it("spliced containers: the order of what can be read, and what is left out", async () => {
    const plan = await planOf(SPLICED);
    expect(plan.branches).toEqual([]);
    expect(plan.shows).toBeUndefined();
    expect(plan.stages).toEqual([["web"]]);
    expect(plan.unreadable).toEqual(["container #0"]);
    const text = renderPlanText(plan);
    expect(text).toContain(
      "  stage 1\n    web [essential]\n  left out, cannot be read before deploy: container #0",
    );
    expect(text).toContain("  verdict: unknown: container #0 cannot be read before deploy");
  });

  it("a whole list that cannot be read says so instead of an empty order", () => {
    const doc = parseDocument(
      JSON.stringify({
        Resources: {
          Task: {
            Type: "AWS::ECS::TaskDefinition",
            Properties: { ContainerDefinitions: { Ref: "Containers" } },
          },
        },
      }),
      "t.json",
    );
    const td = doc.taskDefinitions[0];
    if (td === undefined) throw new Error("no task");
    const plan = buildStartupPlan(td);
    expect(plan.stages).toEqual([]);
    expect(renderPlanText(plan)).toContain("  no container can be read before deploy");
    expect(startupSummaryLines(startupSummaries(doc))[0]).toBe(
      "  startup: no container can be read before deploy",
    );
  });

  it("a task without conditions has one way and no branch list", async () => {
    const plan = await planOf("examples/seed/after.json");
    expect(plan.branches).toEqual([]);
    expect(plan.shows).toBeUndefined();
    expect(plan.stages.length).toBeGreaterThan(1);
  });
});

describe("check's startup summary reads the same ways", () => {
  it("per branch when they differ, with the conditions on every line", async () => {
    const [summary] = startupSummaries(await docOf(CONTAINER_IF));
    expect(summary?.shows).toBe("condition WithRouter is true");
    expect(summary?.stages).toEqual([["log-router"], ["web"]]);
    expect(summary?.branches?.map((b) => [b.when, b.stages, b.ifExits.map((e) => e.task)])).toEqual([
      ["condition WithRouter is true", [["log-router"], ["web"]], ["stops"]],
      ["condition WithRouter is false", [["web"]], []],
    ]);
    const lines = startupSummaryLines(summary === undefined ? [] : [summary]);
    expect(lines[0]).toBe("  when condition WithRouter is true: startup: log-router → web");
    expect(lines).toContain("  when condition WithRouter is false: startup: web");
  });

  it("spliced containers: the order of what can be read, and what is left out", async () => {
    const lines = startupSummaryLines(startupSummaries(await docOf(SPLICED)));
    expect(lines).toEqual(["  startup: web", "  left out, cannot be read before deploy: container #0"]);
  });
});

describe("gateVerdict: a non-essential router's crash as the agent decides it", () => {
  const router = {
    name: "log-router",
    image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.34.0",
    firelensConfiguration: { type: "fluentbit" },
    essential: false,
  };
  const logs = { logDriver: "awsfirelens", options: { Name: "datadog" } };
  const healthCheck = { command: ["CMD-SHELL", "exit 0"], interval: 5 };
  const on = (name: string, condition: string) => ({ containerName: name, condition });
  const verdictOf = (containers: unknown[]) => {
    const doc = parseDocument(JSON.stringify({ family: "t", containerDefinitions: containers }), "t.json");
    const td = doc.taskDefinitions[0];
    if (td === undefined) throw new Error("no task");
    return gateVerdict(readTask(td));
  };

  it("runs without its router: logs lost, the task goes on", () => {
    expect(verdictOf([router, { name: "app", logConfiguration: logs }])).toBe(
      "router 'log-router' is not essential: a crash loses logs but does not stop the task",
    );
  });

  it("a HEALTHY wait on it: the task hangs before RUNNING", () => {
    expect(
      verdictOf([
        { ...router, healthCheck },
        { name: "app", logConfiguration: logs, dependsOn: [on("log-router", "HEALTHY")] },
      ]),
    ).toBe(
      "router 'log-router' is not essential, yet its crash hangs the task before RUNNING: 'app' waits forever for it (a stopped container is never RUNNING or HEALTHY again) and nothing stops the task",
    );
  });

  it("a probe that fails with it holds the essential app back: the task stops", () => {
    expect(
      verdictOf([
        router,
        {
          name: "log-router-preflight",
          essential: false,
          environment: [{ name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "app" }],
          dependsOn: [on("log-router", "START")],
        },
        { name: "app", logConfiguration: logs, dependsOn: [on("log-router-preflight", "SUCCESS")] },
      ]),
    ).toBe(
      "router 'log-router' is not essential, yet its crash stops the task: 'app' is held back with exit 143 (CannotStartContainerError), and the task stops before it serves",
    );
  });
});

describe("the CLI: plan and check on those files (built CLI)", () => {
  it("plan: each way under its conditions, in text and JSON", () => {
    const text = cli(["plan", CONTAINER_IF]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      "startup order of Task:\n  when condition WithRouter is true:\n    stage 1\n      log-router [essential, FireLens router]",
    );
    expect(text.stdout).toContain(
      "  when condition WithRouter is false:\n    stage 1\n      web [essential]",
    );
    const json = cli(["plan", "-f", "json", CONTAINER_IF]);
    const [plan] = JSON.parse(json.stdout) as StartupPlan[];
    expect(plan?.shows).toBe("condition WithRouter is true");
    expect(plan?.stages).toEqual([["log-router"], ["web"]]);
    expect(plan?.branches.map((b) => [b.when, b.stages, b.routerCrash?.task ?? null])).toEqual([
      ["condition WithRouter is true", [["log-router"], ["web"]], "stops"],
      ["condition WithRouter is false", [["web"]], null],
    ]);
  });

  it("plan: spliced containers give the order of what can be read and name what is left out", () => {
    const run = cli(["plan", SPLICED]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      "  stage 1\n    web [essential]\n  left out, cannot be read before deploy: container #0",
    );
    const [plan] = JSON.parse(cli(["plan", "-f", "json", SPLICED]).stdout) as StartupPlan[];
    expect(plan?.stages).toEqual([["web"]]);
    expect(plan?.unreadable).toEqual(["container #0"]);
  });

  it("check: the startup order is never empty, per branch where the branches differ", () => {
    const run = cli(["check", CONTAINER_IF]);
    expect(run.stdout).toContain("when condition WithRouter is true: startup: log-router → web");
    expect(run.stdout).toContain("when condition WithRouter is false: startup: web");
    expect(run.stdout).not.toMatch(/startup: *\n/);
    const spliced = cli(["check", SPLICED]);
    expect(spliced.stdout).toMatch(
      / {2}startup: web\n +left out, cannot be read before deploy: container #0\n/,
    );
    const json = JSON.parse(cli(["check", "-f", "json", CONTAINER_IF]).stdout) as {
      startup: { branches?: { when: string; stages: string[][] }[] }[];
    };
    expect(json.startup[0]?.branches?.map((b) => [b.when, b.stages])).toEqual([
      ["condition WithRouter is true", [["log-router"], ["web"]]],
      ["condition WithRouter is false", [["web"]]],
    ]);
  });
});
