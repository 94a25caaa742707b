/**
 * Issue 23 item 15: one duration grammar and one range, the probe's (its contract), for every surface that
 * writes a deadline: `fix --timeout`, the config's `fix.timeout`, the CDK `deadline` prop, and the probe itself.
 * `0s`, `50ms` and `25h` are refused everywhere; the bounds are accepted everywhere.
 */
import { Duration, Stack } from "aws-cdk-lib";
import * as ecs from "aws-cdk-lib/aws-ecs";
import { describe, expect, it } from "vitest";
import { LogRouterPreflight } from "../../src/cdk/index.js";
import { ConfigFileError, parseConfigText } from "../../src/config/index.js";
import { FixError, fixText } from "../../src/fix/index.js";
import { ConfigError, loadConfig } from "../../src/probe/config.js";
import { durationProblem, PROBE_DURATION_RANGE } from "../../src/probe/contract.js";
import { lintDocument } from "../../src/rules/index.js";
import { parseDocument } from "../../src/taskdef/index.js";

const PROBE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/firelens-preflight:0.1.0";
const REFUSED = ["0s", "50ms", "99ms", "25h", "24h1ms", "1d", "60", ""];
const ACCEPTED = ["100ms", "1.5s", "60s", "2m", "24h"];

const seed = `{
  "family": "web",
  "containerDefinitions": [
    { "name": "log_router", "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5", "essential": true,
      "firelensConfiguration": { "type": "fluentbit" } },
    { "name": "web", "image": "nginx:1.27", "essential": true,
      "logConfiguration": { "logDriver": "awsfirelens", "options": { "Name": "stdout" } } }
  ]
}
`;

function probeAccepts(deadline: string): boolean {
  try {
    loadConfig(["--deadline", deadline, "--containers", "web"], {});
    return true;
  } catch (e) {
    if (e instanceof ConfigError) return false;
    throw e;
  }
}

function fixAccepts(timeout: string): boolean {
  try {
    const r = fixText(seed, "td.json", { probeImage: PROBE, timeout });
    // What fix writes, lint passes, and the probe runs with.
    expect(lintDocument(parseDocument(r.text, "td.json")).map((f) => f.ruleId)).not.toContain("FLP209");
    expect(r.text).toContain(`"value": "${timeout}"`);
    return true;
  } catch (e) {
    if (e instanceof FixError && e.option === "timeout") {
      expect(e.message).toContain("the probe would exit 2");
      return false;
    }
    throw e;
  }
}

function configAccepts(timeout: string): boolean {
  try {
    parseConfigText(JSON.stringify({ fix: { timeout } }), "firelens-preflight.config.json");
    return true;
  } catch (e) {
    if (e instanceof ConfigFileError) {
      expect(e.message).toContain("from 100ms to 24h");
      return false;
    }
    throw e;
  }
}

function cdkAccepts(ms: number): boolean {
  const stack = new Stack();
  const task = new ecs.FargateTaskDefinition(stack, "Task");
  task.addFirelensLogRouter("log-router", {
    image: ecs.ContainerImage.fromRegistry("public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5"),
    firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
  });
  task.addContainer("web", {
    image: ecs.ContainerImage.fromRegistry("nginx:1.27"),
    logging: ecs.LogDrivers.firelens({ options: { Name: "stdout" } }),
  });
  try {
    new LogRouterPreflight(stack, "Gate", {
      taskDefinition: task,
      image: ecs.ContainerImage.fromRegistry(PROBE),
      deadline: Duration.millis(ms),
    });
    return true;
  } catch (e) {
    if (e instanceof Error && /deadline/.test(e.message)) return false;
    throw e;
  }
}

describe("one duration range for the probe, fix, the config and the CDK", () => {
  it("the contract states the probe's range", () => {
    expect(PROBE_DURATION_RANGE.deadline).toEqual({ min: 100, max: 86_400_000 });
    expect(durationProblem("deadline", "0s")).toBe("0s is outside the probe's range, from 100ms to 24h");
  });

  it.each(REFUSED)("refuses %j everywhere the probe refuses it", (value) => {
    expect(probeAccepts(value)).toBe(false);
    expect(fixAccepts(value)).toBe(false);
    expect(configAccepts(value)).toBe(false);
  });

  it.each(ACCEPTED)("accepts %j everywhere the probe accepts it", (value) => {
    expect(probeAccepts(value)).toBe(true);
    expect(fixAccepts(value)).toBe(true);
    expect(configAccepts(value)).toBe(true);
  });

  it("the CDK deadline prop: the same range in milliseconds", () => {
    for (const ms of [0, 50, 99, 25 * 3_600_000]) expect(cdkAccepts(ms), `${ms} ms`).toBe(false);
    for (const ms of [100, 1500, 60_000, 24 * 3_600_000]) expect(cdkAccepts(ms), `${ms} ms`).toBe(true);
  });
});
