/**
 * `fix --gate-non-essential-router` on a router with a healthCheck: the gate must wait START, not HEALTHY. A
 * non-essential router that crashes before it is healthy does not stop the task, and a HEALTHY wait on a stopped
 * container never ends (amazon-ecs-agent graph.go, the model's dependencyVerdict), so the gate and every app would
 * never start and the task would hang before RUNNING: FLP112. lint -> fix -> lint leaves no FLP112.
 */
import { describe, expect, it } from "vitest";
import { fixText } from "../../src/fix/index.js";
import { lintDocument } from "../../src/rules/index.js";
import { parseDocument } from "../../src/taskdef/index.js";

const PROBE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/firelens-preflight:0.1.0";

const routerHealthCheck = {
  command: ["CMD-SHELL", "curl -fs http://127.0.0.1:2020/api/v1/uptime || exit 1"],
  interval: 10,
  timeout: 5,
  retries: 3,
  startPeriod: 10,
};

function task(router: Record<string, unknown>, extra: Record<string, unknown>[] = []): string {
  return `${JSON.stringify(
    {
      family: "catalog",
      containerDefinitions: [
        {
          name: "log_router",
          image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5",
          essential: false,
          firelensConfiguration: {
            type: "fluentbit",
            options: {
              "config-file-type": "file",
              "config-file-value": "/fluent-bit/configs/output-metrics-healthcheck.conf",
            },
          },
          healthCheck: routerHealthCheck,
          ...router,
        },
        {
          name: "catalog",
          image: "example/catalog:3.1.0",
          essential: true,
          portMappings: [{ containerPort: 8080 }],
          logConfiguration: {
            logDriver: "awsfirelens",
            options: { Name: "cloudwatch_logs", region: "eu-west-1", log_group_name: "catalog" },
          },
        },
        ...extra,
      ],
    },
    null,
    2,
  )}\n`;
}

function lint(text: string) {
  return lintDocument(parseDocument(text, "td.json"));
}

function gateWaits(text: string): { containerName: string; condition: string }[] {
  const doc = JSON.parse(text) as { containerDefinitions: { name: string; dependsOn?: [] }[] };
  return doc.containerDefinitions.find((c) => c.name === "log-router-preflight")?.dependsOn ?? [];
}

describe("fix --gate-non-essential-router on a router with a healthCheck", () => {
  it("adds a gate that waits for the router to START, says why, and lint of the result has no FLP112", () => {
    const input = task({});
    expect(lint(input).map((f) => f.ruleId)).not.toContain("FLP112");
    const r = fixText(input, "td.json", { probeImage: PROBE, gateNonEssentialRouter: true });
    expect(r.changed).toBe(true);
    expect(gateWaits(r.text)).toContainEqual({ containerName: "log_router", condition: "START" });
    expect(gateWaits(r.text).some((d) => d.condition === "HEALTHY")).toBe(false);
    expect(r.notes.join("\n")).toMatch(
      /router 'log_router' is not essential, so the preflight waits for it to START, not to be HEALTHY: .*FLP112/,
    );
    expect(lint(r.text).filter((f) => f.ruleId === "FLP112")).toEqual([]);
  });

  it("an essential router with a healthCheck is still waited for HEALTHY (the task stops if it dies)", () => {
    const r = fixText(task({ essential: true }), "td.json", { probeImage: PROBE });
    expect(gateWaits(r.text)).toContainEqual({ containerName: "log_router", condition: "HEALTHY" });
    expect(lint(r.text).filter((f) => f.ruleId === "FLP112")).toEqual([]);
  });

  it("completes an existing gate that waits HEALTHY on the non-essential router: START, with the reason as a change", () => {
    const gate = {
      name: "log-router-preflight",
      image: PROBE,
      essential: false,
      environment: [{ name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "catalog" }],
      dependsOn: [{ containerName: "log_router", condition: "HEALTHY" }],
    };
    const input = task({}, [gate]);
    const before = lint(input).filter((f) => f.ruleId === "FLP112");
    expect(before.length).toBe(1);
    const r = fixText(input, "td.json", { probeImage: PROBE, gateNonEssentialRouter: true });
    expect(gateWaits(r.text)).toContainEqual({ containerName: "log_router", condition: "START" });
    const change = r.plan.changes.find((c) => c.kind === "gate-condition");
    expect(change?.description).toMatch(
      /now waits for router 'log_router' to START, not to be HEALTHY: it is not essential: .*hangs before RUNNING \(FLP112\)/,
    );
    expect(lint(r.text).filter((f) => f.ruleId === "FLP112")).toEqual([]);
  });
});
