/**
 * FireLensChecks on both cdk-nag majors it supports: v3 (the `cdk-nag` devDependency, loaded the way an app
 * loads it) and v2 (the real cdk-nag 2 package, installed here as `cdk-nag-v2`), and a clear refusal of others.
 */
import { createRequire } from "node:module";
import { App, Aspects, Stack } from "aws-cdk-lib";
import { Annotations, Match } from "aws-cdk-lib/assertions";
import * as ecs from "aws-cdk-lib/aws-ecs";
import type * as CdkNag from "cdk-nag";
import { describe, expect, it } from "vitest";
import { fireLensChecksFor } from "../../src/cdk/firelens-checks.js";
import { FireLensChecks } from "../../src/cdk/index.js";

const require = createRequire(import.meta.url);

/** The seed's ungated task: FLP201 on `app`. */
function seedStack(): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, "S");
  const task = new ecs.FargateTaskDefinition(stack, "Task", { cpu: 512, memoryLimitMiB: 1024 });
  task.addFirelensLogRouter("log-router", {
    containerName: "log-router",
    image: ecs.ContainerImage.fromRegistry("public.ecr.aws/aws-observability/aws-for-fluent-bit:3.2.1"),
    firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
  });
  task.addContainer("app", {
    containerName: "app",
    image: ecs.ContainerImage.fromRegistry("public.ecr.aws/nginx/nginx:1.27"),
    logging: ecs.LogDrivers.firelens({
      options: { Name: "datadog", Host: "http-intake.logs.datadoghq.com" },
    }),
  });
  return { app, stack };
}

describe("FireLensChecks across cdk-nag majors", { timeout: 120_000 }, () => {
  it("runs on cdk-nag 3 as a validation plugin", () => {
    const { version } = require("cdk-nag/package.json") as { version: string };
    expect(version).toMatch(/^3\./);
    const { app } = seedStack();
    app.synth();
    const ids = new FireLensChecks(app).validateScope(app).violations.map((v) => v.ruleName);
    expect(ids).toContain("FireLensPreflight-FLP201[app]");
  });

  it("runs on cdk-nag 2 as an Aspect, with v2's constructor and annotations", () => {
    const nag = require("cdk-nag-v2") as typeof CdkNag;
    const { version } = require("cdk-nag-v2/package.json") as { version: string };
    expect(version).toMatch(/^2\./);
    const Pack = fireLensChecksFor(nag, version);
    const { app, stack } = seedStack();
    const pack = new Pack(undefined, {});
    expect(pack).toBeInstanceOf(nag.NagPack);
    Aspects.of(app).add(pack as unknown as { visit(node: unknown): void });
    app.synth();
    Annotations.fromStack(stack).hasError(
      "/S/Task/Resource",
      Match.stringLikeRegexp("FireLensPreflight-FLP201\\[app\\]"),
    );
  });

  it("refuses another cdk-nag major with what to install", () => {
    const nag = require("cdk-nag") as typeof CdkNag;
    expect(() => fireLensChecksFor(nag, "1.4.2")).toThrow(
      "FireLensChecks runs on cdk-nag 2 or 3, and cdk-nag 1.4.2 is installed",
    );
  });
});
