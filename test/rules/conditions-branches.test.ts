/**
 * Issue 23 items 8–10, each with a file shaped like the case (test/fixtures/conditions/): conditions read as
 * conditions by lint and check, and a task whose containers cannot all be read called unknown, never safe.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { readTask } from "../../src/model/index.js";
import { gateVerdict } from "../../src/plan/index.js";
import { type Finding, lintDocument } from "../../src/rules/index.js";
import { loadHclParser, parseText, type TaskDefinitionDocument } from "../../src/taskdef/index.js";
import { cli } from "../support/cli.js";

const DIR = "test/fixtures/conditions";

async function load(name: string): Promise<TaskDefinitionDocument> {
  const file = `${DIR}/${name}`;
  return parseText(readFileSync(file, "utf8"), file);
}

const brief = (findings: readonly Finding[]) =>
  findings.map((f) => `${f.ruleId} ${f.jsonPath}: ${f.message}`);

beforeAll(async () => {
  await loadHclParser();
});

describe("item 8: a router health check under !If [Cond, {...}, !Ref AWS::NoValue]", () => {
  it("lint says the HEALTHY wait cannot be met when the condition is false, and only then", async () => {
    const findings = lintDocument(await load("router-health-if.yaml"));
    expect(brief(findings)).toEqual([
      "FLP105 $.Resources.Task.Properties.ContainerDefinitions[1].DependsOn[0].Condition: Container 'log-router-preflight' waits for 'log-router' to be HEALTHY, but 'log-router' has no healthCheck. (when condition UseHealthCheck is false)",
    ]);
    expect(findings[0]?.location.line).toBe(33);
  });

  it("the verdict gives each branch", async () => {
    const doc = await load("router-health-if.yaml");
    const verdict = gateVerdict(
      readTask(doc.taskDefinitions[0] as TaskDefinitionDocument["taskDefinitions"][0]),
    );
    expect(verdict).toMatch(/^depends on conditions: when condition UseHealthCheck is true: gated: /);
    expect(verdict).toContain("when condition UseHealthCheck is false: the ECS agent refuses this task");
  });

  it("a finding that holds in every branch says nothing extra and is reported once", async () => {
    const doc = await load("router-health-if.yaml");
    const text = doc.text.replace("Essential: false", "Essential: true");
    const findings = lintDocument(await parseText(text, "t.yaml"));
    const flp204 = findings.filter((f) => f.ruleId === "FLP204" || f.ruleId === "FLP104");
    expect(flp204.length).toBeGreaterThan(0);
    for (const f of flp204) expect(f.message).not.toContain("(when");
    const keys = findings.map((f) => `${f.ruleId} ${f.jsonPath} ${f.message}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('item 9: logDriver = var.x ? "awslogs" : "awsfirelens"', () => {
  it("no FLP107 'no router' error; FLP201 for the awsfirelens branch", async () => {
    const findings = lintDocument(await load("conditional-log-driver.tf"));
    expect(findings.filter((f) => f.messageId === "missingRouter")).toEqual([]);
    const flp201 = findings.filter((f) => f.ruleId === "FLP201");
    expect(flp201.map((f) => [f.jsonPath, f.location.line])).toEqual([
      ["$.resource.aws_ecs_task_definition.web.container_definitions[1].name", 21],
    ]);
    expect(flp201[0]?.message).toMatch(/\(when var\.use_cloudwatch is false\)$/);
    // The router is unused when the app logs to CloudWatch: true, and said for that branch only.
    const unused = findings.filter((f) => f.messageId === "unusedRouter");
    expect(unused.map((f) => f.message)).toEqual([
      "Container 'log-router' has a firelensConfiguration, but no container logs through awsfirelens. (when var.use_cloudwatch is true)",
    ]);
  });

  it("Fn::If on a container and on a log driver, one condition: read together, not as four branches", async () => {
    const findings = lintDocument(await load("container-if.json"));
    expect(brief(findings)).toEqual([
      "FLP201 $.Resources.Task.Properties.ContainerDefinitions[1].Name: Container 'web' logs through the essential FireLens router 'log-router' and nothing verifies that path before it starts: a router crash on the first flush stops the task after it took traffic. (when condition WithRouter is true)",
    ]);
  });
});

describe("item 10: containers that cannot be read are unknown, never safe", () => {
  it("concat(module.x.containers, local.apps): FLP200, no 'no router' verdict", async () => {
    const doc = await load("spliced-containers.tf");
    const findings = lintDocument(doc);
    expect(findings.map((f) => f.ruleId)).toEqual(["FLP200"]);
    const verdict = gateVerdict(
      readTask(doc.taskDefinitions[0] as TaskDefinitionDocument["taskDefinitions"][0]),
    );
    expect(verdict).toMatch(/^unknown: container #0 cannot be read before deploy/);
    expect(verdict).toContain("module.log_router.containers");
    expect(verdict).toContain("terraform show -json");
    expect(verdict).not.toContain("no FireLens router");
  });

  it("check exits 1 with the unknown verdict and the way forward; --fail-on none accepts it knowingly", () => {
    const run = cli(["check", `${DIR}/spliced-containers.tf`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("FLP200");
    expect(run.stdout).toMatch(/verdict\n.*spliced-containers\.tf: unknown: container #0 cannot be read/);
    expect(run.stdout).not.toContain("no router crash can stop this task");
    expect(cli(["check", `${DIR}/spliced-containers.tf`, "--fail-on", "none"]).code).toBe(0);
  });

  it("plan says unknown, in text and JSON, with the way forward", () => {
    const text = cli(["plan", `${DIR}/spliced-containers.tf`]);
    expect(text.stdout).toMatch(
      /verdict: unknown: container #0 cannot be read before deploy \(its elements come from module\.log_router\.containers/,
    );
    expect(text.stdout).toContain("terraform show -json");
    const json = JSON.parse(cli(["plan", `${DIR}/spliced-containers.tf`, "-f", "json"]).stdout) as Array<{
      verdict: string;
    }>;
    expect(json.map((p) => p.verdict.slice(0, 9))).toEqual(["unknown: "]);
    const conditional = cli(["plan", `${DIR}/conditional-log-driver.tf`]).stdout;
    expect(conditional).toContain(
      "verdict: depends on conditions: when var.use_cloudwatch is true: no app logs through 'log-router'; when var.use_cloudwatch is false: not gated",
    );
  });

  it("lint exits 1 on a conditional list whose router exists in one branch only", () => {
    const run = cli(["lint", `${DIR}/optional-sidecar.tf`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("(when var.on is true)");
  });

  it("check's and lint's --help name FLP200 beside the exit codes", () => {
    for (const command of ["check", "lint"])
      expect(cli([command, "--help"]).stdout.replace(/\s+/g, " ")).toContain(
        "FLP200 (error): unknown is never clean",
      );
  });
});
