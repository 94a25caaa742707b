/**
 * Issue 23 items 11, 15 and 16 through the built CLI (`npm run build` first): `fix --check` on a non-essential
 * router exits 0 (nothing the owner did not ask for), the flag and the config key gate it when asked, `--help`
 * documents the flag; `--timeout` outside the probe's range exits 2; a router named by a template variable is
 * refused (exit 2), never "unchanged".
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

const PROBE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/firelens-preflight:0.1.0";
let dir: string;

const nonEssential = `{
  "family": "catalog",
  "containerDefinitions": [
    { "name": "log_router", "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5", "essential": false,
      "firelensConfiguration": { "type": "fluentbit" } },
    { "name": "catalog", "image": "example/catalog:3.1.0", "essential": true,
      "logConfiguration": { "logDriver": "awsfirelens", "options": { "Name": "stdout" } } }
  ]
}
`;

const templatedRouter = `resource "aws_ecs_task_definition" "api" {
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
      logConfiguration = { logDriver = "awsfirelens", options = { Name = "stdout" } }
    },
  ])
}
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "flp-fix-intent-"));
  writeFileSync(join(dir, "catalog.json"), nonEssential);
  writeFileSync(join(dir, "main.tf"), templatedRouter);
  writeFileSync(
    join(dir, "gate-all.config.yaml"),
    `fix:\n  probeImage: ${PROBE}\n  gateNonEssentialRouter: true\n`,
  );
  writeFileSync(join(dir, "bad-timeout.config.yaml"), `fix:\n  probeImage: ${PROBE}\n  timeout: 25h\n`);
});

describe("fix through the CLI keeps the owner's intent", () => {
  it("a non-essential router: check exits 0 and fix --check exits 0, saying why", () => {
    const file = join(dir, "catalog.json");
    expect(cli(["check", "--no-config", file]).code).toBe(0);
    const run = cli(["fix", "--check", "--no-config", "--probe-image", PROBE, file]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("unchanged");
    expect(run.stderr).toContain("--gate-non-essential-router");
  });

  it("gated when asked, by flag or by the config's fix.gateNonEssentialRouter", () => {
    const file = join(dir, "catalog.json");
    const flag = cli([
      "fix",
      "--check",
      "--no-config",
      "--probe-image",
      PROBE,
      "--gate-non-essential-router",
      file,
    ]);
    expect(flag.code).toBe(1);
    expect(flag.stdout).toContain("log-router-preflight");
    const config = cli(["fix", "--check", "--config", join(dir, "gate-all.config.yaml"), file]);
    expect(config.code).toBe(1);
    expect(config.stdout).toContain("log-router-preflight");
  });

  it("--help documents --gate-non-essential-router", () => {
    const help = cli(["fix", "--help"]).stdout;
    expect(help).toContain("--gate-non-essential-router");
    expect(help).toContain("fix.gateNonEssentialRouter");
  });

  it("a --timeout or fix.timeout the probe would refuse exits 2 with the range", () => {
    const file = join(dir, "catalog.json");
    for (const timeout of ["0s", "50ms", "25h"]) {
      const run = cli([
        "fix",
        "--no-config",
        "--probe-image",
        PROBE,
        "--gate-non-essential-router",
        "--timeout",
        timeout,
        file,
      ]);
      expect(run.code, timeout).toBe(2);
      expect(run.stderr).toContain("from 100ms to 24h");
    }
    const config = cli(["fix", "--config", join(dir, "bad-timeout.config.yaml"), file]);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain("from 100ms to 24h");
  });

  it("a router named by a template variable: fix refuses with the reason (exit 2), not 'unchanged'", () => {
    const run = cli(["fix", "--check", "--no-config", "--probe-image", PROBE, join(dir, "main.tf")]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain("unchanged");
    expect(run.stderr).toContain("the FireLens router's name is only known at deploy time");
    expect(run.stderr).toContain("(FLP201)");
  });
});
