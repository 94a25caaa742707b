/**
 * Issue 23 items 11 and 16: `fix` keeps the owner's intent and never says "unchanged" while FLP201 stands.
 * - A router marked `essential: false` ("lose logs, keep serving"): `check` is clean, so `fix` leaves the task
 *   alone and says why, unless asked with `gateNonEssentialRouter`.
 * - A `.tf` whose router name is a template variable: `fix` cannot name the router in the gate's dependsOn, so
 *   it refuses with the reason instead of exiting 0 "unchanged" with FLP201 still there.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { FixError, fixText } from "../../src/fix/index.js";
import { lintDocument } from "../../src/rules/index.js";
import { loadHclParser, parseDocument } from "../../src/taskdef/index.js";

const PROBE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/firelens-preflight:0.1.0";

beforeAll(async () => {
  await loadHclParser();
});

const nonEssentialRouter = `{
  "family": "catalog",
  "containerDefinitions": [
    {
      "name": "log_router",
      "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5",
      "essential": false,
      "firelensConfiguration": { "type": "fluentbit" }
    },
    {
      "name": "catalog",
      "image": "example/catalog:3.1.0",
      "essential": true,
      "portMappings": [{ "containerPort": 8080 }],
      "logConfiguration": {
        "logDriver": "awsfirelens",
        "options": { "Name": "cloudwatch_logs", "region": "eu-west-1", "log_group_name": "catalog" }
      }
    }
  ]
}
`;

const templatedRouter = `variable "router_name" {
  type    = string
  default = "log_router"
}

resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([
    {
      name      = "\${var.router_name}"
      image     = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5"
      essential = true
      firelensConfiguration = { type = "fluentbit" }
    },
    {
      name      = "api"
      image     = "example/api:2.0.0"
      essential = true
      logConfiguration = {
        logDriver = "awsfirelens"
        options   = { Name = "cloudwatch_logs", region = "eu-west-1", log_group_name = "api" }
      }
    },
  ])
}
`;

function ids(text: string, file: string): string[] {
  return lintDocument(parseDocument(text, file)).map((f) => f.ruleId);
}

describe("a non-essential router (the owner chose to lose logs, keep serving)", () => {
  it("check is clean of FLP201, and fix leaves the task unchanged and says why", () => {
    expect(ids(nonEssentialRouter, "td.json")).not.toContain("FLP201");
    const r = fixText(nonEssentialRouter, "td.json", { probeImage: PROBE });
    expect(r.changed).toBe(false);
    expect(r.text).toBe(nonEssentialRouter);
    expect(r.plan.tasks[0]?.status).toBe("router-not-essential");
    expect(r.reason).toContain("router 'log_router' is non-essential");
    expect(r.reason).toContain("--gate-non-essential-router");
  });

  it("is gated when asked, and the result passes the gate rules", () => {
    const r = fixText(nonEssentialRouter, "td.json", { probeImage: PROBE, gateNonEssentialRouter: true });
    expect(r.changed).toBe(true);
    expect(r.plan.tasks[0]?.status).toBe("gated");
    const after = ids(r.text, "td.json");
    for (const id of ["FLP201", "FLP204", "FLP205", "FLP206"]) expect(after).not.toContain(id);
    // The router itself stays as its owner wrote it.
    const router = (JSON.parse(r.text) as { containerDefinitions: { name: string; essential: boolean }[] })
      .containerDefinitions[0];
    expect(router).toMatchObject({ name: "log_router", essential: false });
  });
});

describe("a router named by a template variable", () => {
  it("FLP201 stands, and fix refuses with the reason instead of saying unchanged", () => {
    expect(ids(templatedRouter, "main.tf")).toContain("FLP201");
    let error: unknown;
    try {
      fixText(templatedRouter, "main.tf", { probeImage: PROBE });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FixError);
    const message = (error as FixError).message;
    expect(message).toContain("the FireLens router's name is only known at deploy time");
    expect(message).toContain("'api' would still start before the log path is verified (FLP201)");
    expect(message).toContain("write the router's name literally");
    expect(message).toContain("Nothing was written.");
  });

  it("two FireLens containers: refused, not unchanged", () => {
    const two = nonEssentialRouter
      .replace('"essential": false', '"essential": true')
      .replace(
        '"name": "catalog",',
        '"name": "catalog",\n      "firelensConfiguration": { "type": "fluentbit" },',
      );
    const extra = JSON.parse(two) as { containerDefinitions: unknown[] };
    extra.containerDefinitions.push({
      name: "worker",
      image: "example/worker:1",
      essential: true,
      logConfiguration: { logDriver: "awsfirelens", options: { Name: "stdout" } },
    });
    const text = JSON.stringify(extra, null, 2);
    expect(ids(text, "td.json")).toContain("FLP201");
    expect(() => fixText(text, "td.json", { probeImage: PROBE })).toThrow(
      /keep one container with firelensConfiguration/,
    );
  });
});
